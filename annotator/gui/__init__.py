"""The coding window (Qt): widgets and Qt models over calls to ``annotator.core``; no SQL here."""

from annotator.gui.singletons import keep_alive

keep_alive()  # before any window: PySide6 6.12 on Python 3.11 wears None and True away (see the module)
