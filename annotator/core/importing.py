"""Transitional: the window's call sites move to ``import_run`` in the last commit."""

from annotator.core.import_run import ImportSummary, import_paths

__all__ = ["ImportSummary", "import_paths"]
