"""Transitional: the window's call sites move to ``agreement.project`` in the last commit."""

from annotator.core.agreement.project import project_agreement

__all__ = ["project_agreement"]
