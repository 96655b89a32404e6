"""The report in each format, and written to a file through a temporary file renamed into place
(``export.output``), or to stdout."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.export.output import AtomicFile, check_target

FORMATS = ("html", "md", "tex", "json")
SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md", ".tex": "tex", ".json": "json"}


def format_for(output: str, fmt: str | None) -> str:
    """The format asked for, else the one the file name says, else HTML; refused in one line if the
    name says another format than the one asked for."""
    said = SUFFIXES.get(Path(output).suffix.lower()) if output != "-" else None
    if fmt is None:
        return said or "html"
    if fmt not in FORMATS:
        raise AnnotatorError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if said and said != fmt:
        raise AnnotatorError(f"{output}: the name says {said}, but --format is {fmt}; name the file .{fmt} or drop --format")
    return fmt


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        from annotator.core.report.tables import markdown
        return markdown(report)
    if fmt == "tex":
        from annotator.core.report.tables import latex
        return latex(report)
    if fmt == "html":
        from annotator.core.report.page import html
        return html(report)
    raise AnnotatorError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")


def check_output(output: str, project: Path) -> None:
    """Refuse a target that cannot be written (or is the ``project``) before any figure is computed."""
    if output != "-":
        check_target(Path(output), "the report", project=project)


def write_report(report: dict[str, Any], output: str, fmt: str) -> None:
    text = render(report, fmt)
    if output == "-":
        sys.stdout.write(text)
        return
    target = AtomicFile(Path(output), "the report")
    try:
        target.file.write(text)
    except BaseException:
        target.abort()
        raise
    target.commit()
