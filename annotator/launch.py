"""The ``annotator`` console script: start the CLI without what it never uses.

sqlite-utils imports pandas eagerly whenever it is installed (it is, with the
test extras), which costs about half a second before the window can show its
first item. Neither the CLI nor the window uses pandas, so in this process,
and only here, it is marked absent before anything imports sqlite-utils.
Library users who ``import annotator.core`` in a notebook are not affected.
"""

from __future__ import annotations

import sys


def skip_unused_imports() -> None:
    sys.modules.setdefault("pandas", None)  # type: ignore[arg-type]


def main() -> None:
    skip_unused_imports()
    from annotator.cli import main as cli_main

    cli_main()
