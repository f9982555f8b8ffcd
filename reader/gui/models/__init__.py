"""Qt item models over the library (lazy, sorted and filtered in SQL)."""
