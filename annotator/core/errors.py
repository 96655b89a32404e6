"""The one kind of error that is the user's to fix, not a bug.

Entry points (CLI, window) turn an ``AnnotatorError`` into one clear line and a
non-zero exit; anything else is a bug and keeps its traceback.
"""


class AnnotatorError(Exception):
    """A problem with the user's input or environment: a bad file, flag or database."""


class NotATranscript(AnnotatorError):
    """A readable file that holds no transcript (a listing page): skipped with a note, not a failure."""


class NeedsUpgrade(AnnotatorError):
    """A project made by an older version, opened where it may not be upgraded in place."""
