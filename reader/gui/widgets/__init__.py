"""Views, panes and dialogs. Widgets emit intents; the window/controller acts on them."""
