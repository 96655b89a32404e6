"""The ``annotator`` console script: start the CLI without what it never uses.

sqlite-utils imports pandas eagerly whenever it is installed (it is, with the
test extras), which costs one to two seconds of every command that opens a project
(half a second before the window can show its first item). Neither the CLI nor the
window uses pandas, so in this process, and only here, it is marked absent until
sqlite-utils has been imported. Library users who ``import annotator.core`` in a
notebook are not affected.

The mark is taken away again the moment sqlite-utils is imported, not before
(``unused_imports_skipped``): scikit-learn, which the model commands use, looks pandas up
in ``sys.modules`` and takes a present ``None`` for the module itself. The commands import
the store inside their own bodies (``cli.py``), so that moment comes after the CLI has
started; a finder on ``sys.meta_path`` sees it come. sqlite-utils also imports numpy, for
the types its table inserts map (annotator never inserts through them): while sqlite-utils
itself is being imported numpy is marked absent too, if nothing imported it before, so that
``stats``, ``export`` or ``import`` do not load it; a command that uses numpy imports it as usual.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importlib.abc alone costs more than the rest of start-up but click
    from importlib.machinery import ModuleSpec
    from types import ModuleType


def skip_unused_imports() -> None:
    sys.modules.setdefault("pandas", None)  # type: ignore[arg-type]


def unused_imports_skipped() -> None:
    """sqlite-utils is imported: pandas no longer needs marking absent (see the module)."""
    if "pandas" in sys.modules and sys.modules["pandas"] is None:
        del sys.modules["pandas"]


class _UnmarkAfterSqliteUtils:
    """A finder on ``sys.meta_path`` that finds nothing itself: when ``sqlite_utils`` is first
    imported it lets the other finders find it, and calls ``unused_imports_skipped`` once the
    module has run."""

    def find_spec(self, name: str, path: object = None, target: ModuleType | None = None) -> ModuleSpec | None:
        if name != "sqlite_utils":
            return None
        sys.meta_path.remove(self)  # once only; and the lookup below does not come back here
        from importlib.util import find_spec

        spec = find_spec(name)
        if spec is None or spec.loader is None:
            unused_imports_skipped()
            return spec
        run_module = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            numpy_marked = sys.modules.setdefault("numpy", None) is None  # type: ignore[arg-type]
            try:
                run_module(module)
            finally:
                if numpy_marked:
                    del sys.modules["numpy"]
                unused_imports_skipped()

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def main() -> None:
    skip_unused_imports()
    sys.meta_path.insert(0, _UnmarkAfterSqliteUtils())
    from annotator.cli import main as cli_main

    cli_main()
