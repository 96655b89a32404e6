"""Parsing ahead in worker processes gives exactly what parsing in order here gives."""

from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from annotator.core import parse_ahead
from annotator.core.parse_ahead import BATCH_FILES, PARALLEL_FROM_FILES, parse_in_order

TRANSCRIPT = """Foreign Ministry Spokesperson Mao Ning's Regular Press Conference on May {day}, 2023

AFP: Question number {n} about the visit?

Mao Ning: Answer number {n}. China welcomes it.

Reuters: A second question {n}?

Mao Ning: A second answer {n}.
"""


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    out = []
    for n in range(PARALLEL_FROM_FILES + 12):
        path = tmp_path / f"{n:03d}.txt"
        path.write_text("" if n in (5, 50) else TRANSCRIPT.format(day=1 + n % 28, n=n), encoding="utf-8")
        out.append(path)
    return out


def serial(files: list[Path]) -> list[tuple]:
    return [(p, s, str(e) if e else None) for f in files for p, s, e in parse_in_order([f], "auto", {})]


def summary(results) -> list[tuple]:
    return [(p.name, [(row[4], row[9]) for row in s.rows] if s else None, str(e) if e else None) for p, s, e in results]


def test_workers_return_every_file_in_order_with_its_error(files) -> None:
    ahead = list(parse_in_order(files, "auto", {}))
    assert summary(ahead) == summary(serial(files))
    assert [p for p, _s, _e in ahead] == files
    failed = [p.name for p, _s, e in ahead if e is not None]
    assert failed == ["005.txt", "050.txt"]


def test_a_broken_worker_pool_loses_nothing(files, monkeypatch) -> None:
    class BrokenPool:
        def __init__(self, *args, **kwargs) -> None:
            pass

        def submit(self, *args, **kwargs):
            raise BrokenProcessPool("a worker could not start")

        def shutdown(self, *args, **kwargs) -> None:
            pass

    monkeypatch.setattr(parse_ahead, "ProcessPoolExecutor", BrokenPool)
    assert summary(parse_in_order(files, "auto", {})) == summary(serial(files))


def test_stopping_early_leaves_no_worker_running(files) -> None:
    parsed = parse_in_order(files, "auto", {})
    first = next(parsed)
    parsed.close()  # what a cancelled import does
    assert first[0] == files[0]


class SlowPool:
    """A worker pool whose tasks finish only when their result is asked for."""

    def __init__(self, *args, **kwargs) -> None:
        self.submitted: list[int] = []
        self.in_flight = self.most_in_flight = 0
        SlowPool.last = self

    def submit(self, fn, paths, *args):
        future: Future = Future()
        self.submitted.append(len(paths))
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        real_result = future.result

        def result(timeout=None):
            if not future.done():
                future.set_result(fn(paths, *args))
                self.in_flight -= 1
            return real_result(timeout)

        future.result = result
        return future

    def shutdown(self, *args, **kwargs) -> None:
        pass


def slow_workers(monkeypatch) -> None:
    """Workers of a SlowPool, started as on two cores: the pool is a stand-in, so the test holds
    on a one-core machine (or under ``taskset``) too, where the import would start none."""
    monkeypatch.setattr(parse_ahead, "ProcessPoolExecutor", SlowPool)
    monkeypatch.setattr(parse_ahead, "usable_cores", lambda: 2)


def test_while_workers_lag_the_writer_parses_the_next_files_itself_in_order(files, monkeypatch) -> None:
    slow_workers(monkeypatch)
    # room for about two batches with the workers
    monkeypatch.setattr(parse_ahead, "AHEAD_BYTES", 1 + sum(f.stat().st_size for f in files[:BATCH_FILES]))
    assert summary(parse_in_order(files, "auto", {})) == summary(serial(files))
    batches = -(-len(files) // BATCH_FILES)
    assert 0 < len(SlowPool.last.submitted) < batches  # the rest were parsed here while waiting


def test_reading_ahead_is_bounded_by_bytes(files, monkeypatch) -> None:
    slow_workers(monkeypatch)
    monkeypatch.setattr(parse_ahead, "AHEAD_BYTES", 1)
    assert summary(parse_in_order(files, "auto", {})) == summary(serial(files))
    assert SlowPool.last.most_in_flight == 1


def test_a_process_held_to_one_core_parses_here_without_a_worker(files, monkeypatch) -> None:
    # taskset -c 0 (or a one-core container) leaves the machine two cores but this process one:
    # a worker could only take turns with the writer, and would pay its own start-up first.
    def no_pool(*args, **kwargs):
        raise AssertionError("a worker pool was started on one core")

    monkeypatch.setattr(parse_ahead.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    monkeypatch.setattr(parse_ahead, "ProcessPoolExecutor", no_pool)
    assert parse_ahead.usable_cores() == 1
    assert summary(parse_in_order(files, "auto", {})) == summary(serial(files))
