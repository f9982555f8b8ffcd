"""The library core: storage, importers, language detection, translation. No Qt here."""
