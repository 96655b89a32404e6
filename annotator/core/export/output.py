"""Where records go: a temporary file renamed into place at the end, or stdout.

The temporary file sits in the target's folder (so the rename is atomic on every file
system) and is removed if the export fails or is cancelled: an interrupted export never
leaves a half file under the name asked for.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from annotator.core.errors import AnnotatorError
from annotator.core.validate import check_regular_file

_encoder = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":"))
encode = _encoder.encode
# A string's JSON exactly as ``encode`` writes it (the function that encoder calls for every
# string), without the encoder's walk: for writers that put a record together from pieces.
encode_str = json.encoder.encode_basestring


class Encoded(str):
    """A record already in its JSON text (``encode``'s bytes): a sink writes it as it is."""

    __slots__ = ()


def project_files(db: Path) -> set[Path]:
    """The project's file and its journal's, resolved: what no output may be renamed over."""
    project = db.resolve()
    return {project, project.with_name(project.name + "-wal"), project.with_name(project.name + "-shm")}


def check_target(path: Path, what: str = "the export", *, project: Path | None = None,
                 inputs: Iterable[Path] = ()) -> None:
    """Refuse, in one line, a target we could not write, or should not (``check_not_over``),
    before any work is done."""
    if path.is_dir():
        raise AnnotatorError(f"{path}: is a folder; give a file name to write {what} to")
    check_not_over(path, what, project=project, inputs=inputs)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise AnnotatorError(f"{path}: cannot write {what} (no folder {parent})")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise AnnotatorError(f"{path}: cannot write {what} (folder {parent} is read-only)")
    if path.exists() and not os.access(path, os.W_OK):
        raise AnnotatorError(f"{path}: cannot write {what} (the file is read-only)")


def check_not_over(path: Path, what: str = "the export", *, project: Path | None = None,
                   inputs: Iterable[Path] = ()) -> None:
    """An output is a new file renamed over its target: never over the ``project`` (or its
    journal), nor over a file being read (``inputs``, files or folders), nor over something
    that is not a file (a device, a pipe), which the rename would replace."""
    check_regular_file(path, f"a file to write {what} to (give one, or - for stdout)")  # a folder: check_target's
    if project is not None and path.resolve() in project_files(project):
        raise AnnotatorError(f"{path}: is the project database (or its journal); give another file name to "
                             f"write {what} to")
    if path.exists():
        real = path.resolve()
        for given in inputs:
            there = given.resolve()
            if real == there or (given.is_dir() and real.is_relative_to(there)):
                raise AnnotatorError(f"{path}: is one of the files being read ({given}); give another file name "
                                     f"to write {what} to")


class AtomicFile:
    def __init__(self, path: Path, what: str = "the export") -> None:
        check_target(path, what)
        # A link stays a link: the file it points to is the one replaced.
        self.path, self.what = (Path(os.path.realpath(path)) if path.is_symlink() else path), what
        path = self.path
        parent = path.parent if str(path.parent) else Path(".")
        try:
            fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".part")
        except OSError as e:
            raise AnnotatorError(f"{path}: cannot write {what} ({e.strerror})") from None
        self.tmp = Path(tmp)
        self.file: TextIO = os.fdopen(fd, "w", encoding="utf-8", newline="\n", buffering=1 << 20)

    def commit(self) -> None:
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            mask = os.umask(0)
            os.umask(mask)
            os.chmod(self.tmp, 0o666 & ~mask)  # mkstemp makes 0600; an export is an ordinary file
            os.replace(self.tmp, self.path)
        except OSError as e:
            self.abort()
            raise AnnotatorError(f"{self.path}: cannot write {self.what} ({e.strerror})") from None

    def abort(self) -> None:
        """Close and remove the temporary file; nothing to do once ``commit`` renamed it."""
        with contextlib.suppress(OSError):
            self.file.close()
        self.tmp.unlink(missing_ok=True)


class Sink:
    """Records to one stream: JSON lines, or (Label Studio) one JSON array."""

    def __init__(self, stream: TextIO, array: bool = False) -> None:
        self.stream = stream
        self.array = array
        self.count = 0

    def write(self, record: Any) -> None:
        text = record if type(record) is Encoded else encode(record)
        if self.array:
            self.stream.write(("[\n" if self.count == 0 else ",\n") + text)
        else:
            self.stream.write(text + "\n")  # one call per record: writes dominate small records
        self.count += 1

    def close(self) -> None:
        if self.array:
            self.stream.write("[]\n" if self.count == 0 else "\n]\n")
