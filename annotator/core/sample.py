"""The bundled sample project, so the first window a user sees holds real-looking work."""

from __future__ import annotations

from pathlib import Path

from annotator.core.import_run import import_paths
from annotator.core.store import Store

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def ensure_sample_project(path: Path) -> Path:
    """Create ``path`` from resources/samples on first use; an existing project is left alone."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    with Store(tmp, create=True) as store:  # a new project comes with the bundled codebook
        import_paths(store, [SAMPLES])
        store.checkpoint()
    # Built under another name and renamed, so a crash mid-build never leaves a half sample.
    tmp.rename(path)
    return path
