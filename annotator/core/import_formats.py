"""The names an importer's ``fmt`` takes (``importers.FORMATS``), in a module of their own so that
the CLI can offer them as a choice at start-up without importing the importers (BeautifulSoup and
all) or even ``items`` (hashlib, dataclasses): ``annotator --version`` pays for neither."""

IMPORT_FORMATS = ("auto", "transcript", "report", "jsonl", "csv", "html")
