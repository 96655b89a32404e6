"""The one kind of error that is the user's to fix, not a bug.

Entry points (CLI, window) turn an ``AnnotatorError`` into one clear line and a
non-zero exit; anything else is a bug and keeps its traceback.
"""


class AnnotatorError(Exception):
    """A problem with the user's input or environment: a bad file, flag or database."""


class NotATranscript(AnnotatorError):
    """A readable file that holds no transcript (a listing page): skipped with a note, not a failure."""


class NeedsUpgrade(AnnotatorError):
    """A project made by an older version, opened where it may not be upgraded in place;
    ``steps``: the names of the schema steps it lacks, in the order they would run."""

    def __init__(self, message: str, steps: list[str]) -> None:
        super().__init__(message)
        self.steps = steps


class CodebookRefuses(AnnotatorError):
    """A write refused for what it is -- the codebook in force does not allow it, the value
    is not one the store keeps, or its item is gone -- not a failure of the database: retrying
    it cannot help, so a queue of the window's writes drops it rather than waiting on it."""


class ItemGone(CodebookRefuses):
    """A write for an item no longer in the project: a correction merged it into the one before
    (``store.corrections``), perhaps from another program while the window showed it."""


class Invalid(CodebookRefuses):
    """A value from outside that is not what the store keeps (``core/validate.py`` says why)."""


class NotApplicable(CodebookRefuses):
    """A value for a scheme that does not apply to the item's kind."""


class Incomplete(CodebookRefuses):
    """An item marked done while a required scheme that applies to it has no value:
    nothing is marked. ``scheme`` names the first such scheme (the window moves there)."""

    def __init__(self, message: str, scheme: str) -> None:
        super().__init__(message)
        self.scheme = scheme
