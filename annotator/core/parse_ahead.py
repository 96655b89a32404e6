"""Parse files in order, with worker processes reading ahead while the caller writes.

Parsing is pure CPU and writing waits on SQLite, so on a machine with more than
one core a large import overlaps the two: workers parse batches of files ahead
(at most a few batches, so memory stays bounded) and results come back in file
order, so items are written in the same order as a serial import would. Small
imports, and single-core machines, parse in this process: starting a worker
would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.core.importers import parse_file
from annotator.core.items import Source

PARALLEL_FROM_FILES = 48
BATCH = 16  # files per task: enough to amortise the hand-over between processes
AHEAD = 4  # batches in flight per worker

Parsed = tuple[Path, Source | None, AnnotatorError | None]


def _parse_batch(paths: list[Path], fmt: str, overrides: dict[str, str | None]) -> list[Parsed]:
    out: list[Parsed] = []
    for path in paths:
        try:
            out.append((path, parse_file(path, fmt, **overrides), None))
        except AnnotatorError as e:  # returned, not raised: one bad file must not stop the others
            out.append((path, None, e))
    return out


def parse_in_order(files: list[Path], fmt: str, overrides: dict[str, str | None]) -> Iterator[Parsed]:
    """(path, source or None, error or None) for each file, in the order given."""
    workers = min(4, (os.cpu_count() or 1) - 1)
    if len(files) < PARALLEL_FROM_FILES or workers < 1:
        for path in files:
            yield from _parse_batch([path], fmt, overrides)
        return
    batches = [files[i:i + BATCH] for i in range(0, len(files), BATCH)]
    # spawn, not fork: the caller may be the Qt window, which must not be forked
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    pending: deque[Future[list[Parsed]]] = deque()
    submitted = 0
    try:
        for k in range(len(batches)):
            try:
                while submitted < len(batches) and submitted - k < workers * AHEAD:
                    pending.append(pool.submit(_parse_batch, batches[submitted], fmt, overrides))
                    submitted += 1
                results = pending.popleft().result()
            except BrokenProcessPool:
                # A worker could not start or died (say, the program came from stdin and
                # cannot be re-imported): what is left is parsed here, nothing is lost.
                for batch in batches[k:]:
                    yield from _parse_batch(batch, fmt, overrides)
                return
            yield from results
    finally:
        # A caller that stops early (cancel) leaves nothing running behind it.
        pool.shutdown(wait=True, cancel_futures=True)
