"""Parse files in order, with worker processes reading ahead while the caller writes.

Parsing is pure CPU and writing waits on SQLite, so on a machine with more than
one core a large import overlaps the two. Files go to the workers in batches,
at most AHEAD_BYTES of source ahead (so memory stays bounded whatever the files'
sizes), and come back in file order, so items are written in the same order as
a serial import would write them. Whenever the caller would otherwise wait --
while a worker starts, or when writing outpaces parsing -- it parses the next
batch not yet handed out itself, so neither side idles. Each file comes back
prepared (``importers/prepared.py``): the writer does only SQL, and plain tuples cross
between processes cheaply. Small imports, and single-core machines, parse in
this process: starting a worker would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.importers import parse_file
from annotator.core.importers.prepared import prepare
from annotator.core.items import PreparedSource

PARALLEL_FROM_FILES = 48
BATCH_FILES, BATCH_BYTES = 16, 1 << 20  # per task: enough to amortise the hand-over between processes
# Source bytes parsed ahead of the writer, by the workers and by this process each:
# enough that neither side waits on the other, little enough for any folder's memory.
AHEAD_BYTES = 16 << 20

Parsed = tuple[Path, PreparedSource | None, AnnotatorError | None]
PARENT_POLL_S = 0.2  # how soon a worker notices that the process it parses for is gone


def _die_with_parent(parent: int) -> None:
    """Each worker's initializer: a thread that ends the worker once its parent is gone.

    A parent that exits normally shuts the pool down, but one killed (kill -9, a crash, the
    window closed by force) cannot, and its workers -- and the resource tracker they keep
    alive -- would run on for ever. Polling the parent's pid works on every platform, and
    however the parent died.
    """
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        os._exit(1)  # no clean-up to do: a worker holds nothing but files it reads

    threading.Thread(target=watch, name="parse-ahead-parent-watch", daemon=True).start()


def _parse_batch(paths: list[Path], fmt: str, overrides: dict[str, str | None]) -> list[Parsed]:
    out: list[Parsed] = []
    for path in paths:
        try:
            out.append((path, prepare(parse_file(path, fmt, **overrides)), None))
        except AnnotatorError as e:  # returned, not raised: one bad file must not stop the others
            out.append((path, None, e))
    return out


def _batches(files: list[Path]) -> list[tuple[list[Path], int]]:
    """Files in order, cut into tasks of at most BATCH_FILES files or BATCH_BYTES bytes."""
    out: list[tuple[list[Path], int]] = []
    batch: list[Path] = []
    size = 0
    for path in files:
        try:
            n = path.stat().st_size
        except OSError:
            n = 0  # parsing it will say what is wrong
        if batch and (len(batch) == BATCH_FILES or size + n > BATCH_BYTES):
            out.append((batch, size))
            batch, size = [], 0
        batch.append(path)
        size += n
    if batch:
        out.append((batch, size))
    return out


def usable_cores() -> int:
    """The cores this process may run on: its affinity (``taskset``, a container's cpuset), not
    the machine's count, so that an import held to one core parses here instead of starting a
    worker that could only take turns with this process (and pays its own start-up)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def parse_in_order(files: list[Path], fmt: str, overrides: dict[str, str | None]) -> Iterator[Parsed]:
    """(path, prepared source or None, error or None) for each file, in the order given."""
    workers = min(4, usable_cores() - 1)
    if len(files) < PARALLEL_FROM_FILES or workers < 1:
        for path in files:
            yield from _parse_batch([path], fmt, overrides)
        return
    batches = _batches(files)
    # spawn, not fork: the caller may be the Qt window, which must not be forked
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_die_with_parent, initargs=(os.getpid(),))
    futures: dict[int, Future[list[Parsed]]] = {}
    parsed_here: dict[int, list[Parsed]] = {}
    handed_out = 0  # batches below this are with a worker or already parsed here
    with_workers = held = 0  # their source bytes

    def size(k: int) -> int:
        return batches[k][1]

    try:
        for k in range(len(batches)):
            try:
                while handed_out < len(batches) and (not futures or with_workers < AHEAD_BYTES):
                    futures[handed_out] = pool.submit(_parse_batch, batches[handed_out][0], fmt, overrides)
                    with_workers += size(handed_out)
                    handed_out += 1
                while (k not in parsed_here and not futures[k].done() and handed_out < len(batches)
                       and held < AHEAD_BYTES):
                    parsed_here[handed_out] = _parse_batch(batches[handed_out][0], fmt, overrides)
                    held += size(handed_out)
                    handed_out += 1
                if k in parsed_here:
                    results = parsed_here.pop(k)
                    held -= size(k)
                else:
                    results = futures.pop(k).result()
                    with_workers -= size(k)
            except BrokenProcessPool:
                # A worker could not start or died (say, the program came from stdin and
                # cannot be re-imported): what is left is parsed here, nothing is lost.
                for j in range(k, len(batches)):
                    yield from parsed_here.pop(j, None) or _parse_batch(batches[j][0], fmt, overrides)
                return
            yield from results
    finally:
        # A caller that stops early (cancel) leaves nothing running behind it.
        pool.shutdown(wait=True, cancel_futures=True)
