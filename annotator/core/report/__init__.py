"""The reliability report: what a methods section needs about the coding, in one command.

``build.build_report`` gathers every figure from the agreement code and the store into one
plain dict (the ``--json`` output, and what the review window's agreement panel shows);
``tables`` writes it as the Markdown and LaTeX tables a paper pastes in, ``charts`` draws
its pictures with matplotlib (Agg, SVG: never Qt), ``page`` makes the one self-contained
HTML file, ``verdict`` holds Krippendorff's thresholds and the words about an alpha.
"""

from annotator.core.report.build import build_report
from annotator.core.report.output import FORMATS, render, write_report

__all__ = ["FORMATS", "build_report", "render", "write_report"]
