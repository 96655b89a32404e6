"""The ``annotator`` console script: start the CLI without what it never uses.

sqlite-utils imports pandas eagerly whenever it is installed (it is, with the
test extras), which costs about half a second before the window can show its
first item. Neither the CLI nor the window uses pandas, so in this process,
and only here, it is marked absent before anything imports sqlite-utils.
Library users who ``import annotator.core`` in a notebook are not affected.
Once sqlite-utils is imported the mark is taken away again (``unused_imports_skipped``):
scikit-learn, which the model commands use, looks pandas up in ``sys.modules`` and takes
a present ``None`` for the module itself.
"""

from __future__ import annotations

import sys


def skip_unused_imports() -> None:
    sys.modules.setdefault("pandas", None)  # type: ignore[arg-type]


def unused_imports_skipped() -> None:
    """sqlite-utils is imported: pandas no longer needs marking absent (see the module)."""
    if "pandas" in sys.modules and sys.modules["pandas"] is None:
        del sys.modules["pandas"]


def main() -> None:
    skip_unused_imports()
    from annotator.cli import main as cli_main

    unused_imports_skipped()
    cli_main()
