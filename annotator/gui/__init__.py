"""The coding window (Qt): widgets and Qt models over calls to ``annotator.core``; no SQL here."""
