"""Issue 18's cases, one table: every command on what it opens and takes in. Each case is
either REFUSED -- one line naming the file or value and the problem, a non-zero exit, every file
in the folder byte for byte as it was and no new file (no backup) -- or ACCEPTED and checked.

The crash, kill and two-writer cases are processes of their own: tests/core/test_two_writers.py,
tests/core/test_parse_ahead_orphans.py, tests/core/test_crash.py.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from annotator.cli import cli
from annotator.core.filters import Filter
from annotator.core.items import Item
from annotator.core.store import Store
from tests.helpers import (
    ROOT,
    annotator_on_a_full_disk,
    coder_label_file,
    copy_project,
    label_two_coders,
    new_project,
    read_jsonl,
    real_files,
    source,
)

SAMPLES = ROOT / "resources" / "samples"


def write_jsonl(path: Path, records: list[dict]) -> Path:
    def line(r: dict) -> str:
        text = json.dumps(r, ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # half a character (a lone surrogate): only JSON's escape can write it
            return json.dumps(r)
        return text

    path.write_text("".join(line(r) + "\n" for r in records), encoding="utf-8")
    return path


def flip_page(path: Path, page: int) -> Path:
    """Every byte of one page inverted, as a bad sector or a torn sync would leave it."""
    data = bytearray(path.read_bytes())
    size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    start = (page - 1) * size
    data[start:start + size] = bytes(b ^ 0xFF for b in data[start:start + size])
    path.write_bytes(bytes(data))
    return path


def corrupt_copy(project: Path, dest: Path) -> Path:
    """A copy of the project whose items page is damaged: it opens, and only reading that page
    (or a structural check) finds out."""
    copy_project(project, dest)
    conn = sqlite3.connect(dest)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'items'").fetchone()[0]
    conn.close()
    return flip_page(dest, root)


class Files:
    """The folder a case runs in: a labelled project and what each case makes of it."""

    def __init__(self, folder: Path, template: Path) -> None:
        self.dir = folder
        self.p = copy_project(template, folder / "p.db")

    def label_file(self, name: str = "erin.jsonl") -> Path:
        path = self.dir / name
        if not path.exists():
            coder_label_file(self.p, path)
            for extra in self.dir.glob(f"{Path(name).stem}.work.db*"):
                extra.unlink()
        return path

    def changed_label_file(self, change: Callable[[list[dict]], None], name: str = "bad.jsonl") -> Path:
        records = read_jsonl(self.label_file())
        change(records)
        return write_jsonl(self.dir / name, records)

    def corrupt(self) -> Path:
        return corrupt_copy(self.p, self.dir / "flipped.db")

    def cb(self) -> Path:
        path = self.dir / "cb.toml"
        with Store(self.p) as store:
            path.write_text(store.codebook_toml() or "", encoding="utf-8")
        return path


def first_state(records: list[dict]) -> dict:
    return next(r for r in records if r.get("coder") and "labels" in r)


def first_event(records: list[dict]) -> dict:
    return next(r for r in records if "event" in r)["event"]


def state(**fields: object) -> Callable[[list[dict]], None]:
    return lambda records: first_state(records).update(fields)


def event(**fields: object) -> Callable[[list[dict]], None]:
    return lambda records: first_event(records).update(fields)


def no_events(records: list[dict]) -> None:
    records[:] = [r for r in records if "event" not in r]


@dataclass
class Case:
    id: str
    args: Callable[[Files], list]  # the command line, from the folder's files
    refused: str | None  # what the one line says (with the file it names); None: accepted
    names: Callable[[Files], Path] | None = None  # the file the line must name
    check: Callable[[Files, Result], None] | None = None  # what an accepted case must have done


def corrupt_project(*rest: str | Callable[[Files], object]) -> Callable[[Files], list]:
    def args(f: Files) -> list:
        flipped = f.corrupt()
        return [r(f) if callable(r) else r for r in rest[:1]] + [flipped] + [
            r(f) if callable(r) else r for r in rest[1:]]
    return args


CORRUPT = "the database is corrupt"

CASES = [
    # 1. every command checks what it opens: the damaged file is refused, named, untouched
    *[Case(f"corrupt project: {' '.join(str(a) for a in cmd if not callable(a))}", corrupt_project(*cmd), CORRUPT,
           names=lambda f: f.dir / "flipped.db")
      for cmd in [
          ("codebook",), ("codebook", "--set", Files.cb), ("import", SAMPLES), ("merge", Files.label_file),
          ("agreement",), ("gold", "--accept-unanimous"), ("stats",), ("assign", "--coders", "a,b"),
          ("export", "-o", "out.jsonl"), ("report", "-o", "out.html"), ("review",), ("gui", "--coder", "alice"),
          ("correct", "1", "--flag", "x", "--coder", "lead"), ("corrections",), ("model", "status"), ("check",),
      ]],
    Case("merge into a good project from a corrupt coder's file names the coder's file",
         lambda f: ["merge", f.p, f.corrupt()], CORRUPT, names=lambda f: f.dir / "flipped.db"),
    # 2. one validation path: coder names, value types, events; the line number; nothing merged
    Case("gui coder with a path", lambda f: ["gui", f.p, "--coder", "../../evil"],
         "coder name '../../evil' is not allowed"),
    Case("correct coder starting with @", lambda f: ["correct", f.p, "1", "--flag", "x", "--coder", "@done"],
         "coder name '@done' is not allowed"),
    Case("gold reviewer with a newline", lambda f: ["gold", f.p, "--accept-unanimous", "--reviewer", "evil\nname"],
         "coder name 'evil\\nname' is not allowed"),
    Case("review reviewer of 1000 characters", lambda f: ["review", f.p, "--reviewer", "a" * 1000],
         "(at most 64 characters"),
    Case("label file coder @done", lambda f: ["merge", f.p, f.changed_label_file(state(coder="@done"))],
         "line 2: coder name '@done' is not allowed", names=lambda f: f.dir / "bad.jsonl"),
    Case("label file coder with half a character", lambda f: ["merge", f.p, f.changed_label_file(state(coder="al\ud800"))],
         "line 2: coder name 'al\\ud800' is not allowed", names=lambda f: f.dir / "bad.jsonl"),
    Case("label file done 'yes'", lambda f: ["merge", f.p, f.changed_label_file(state(done="yes"))],
         "'done' must be true or false, not 'yes'", names=lambda f: f.dir / "bad.jsonl"),
    Case("label file flag [1]", lambda f: ["merge", f.p, f.changed_label_file(state(flag=[1]))],
         "'flag' must be true or false, not [1]", names=lambda f: f.dir / "bad.jsonl"),
    Case("label file seconds 'lots'", lambda f: ["merge", f.p, f.changed_label_file(state(seconds="lots"))],
         "must be a number of seconds, not 'lots'", names=lambda f: f.dir / "bad.jsonl"),
    Case("label file event 'explode'", lambda f: ["merge", f.p, f.changed_label_file(event(action="explode"))],
         "history action 'explode' is not one annotator writes", names=lambda f: f.dir / "bad.jsonl"),
    Case("label file event at 'not a date'",
         lambda f: ["merge", f.p, f.changed_label_file(event(at="not a date"))],
         "must be an ISO time, not 'not a date'", names=lambda f: f.dir / "bad.jsonl"),
    Case("label file without history", lambda f: ["merge", f.p, f.changed_label_file(no_events)],
         "has no history event in the file; nothing merged", names=lambda f: f.dir / "bad.jsonl"),
    Case("JSONL import of a number and a list",
         lambda f: ["import", f.p, write_jsonl(f.dir / "items.jsonl", [{"question": 5, "answer": ["x"]}])],
         "items.jsonl: line 1: 'question' must be text, not 5; nothing imported"),
    # 5. bounded messages and values, --force included
    Case("a 20 MB label with --force",
         lambda f: ["merge", f.p, f.changed_label_file(state(labels={"tone": "x" * 20_000_000})), "--force"],
         "characters long (at most 10,000)", names=lambda f: f.dir / "bad.jsonl"),
    Case("a 20 MB note", lambda f: ["merge", f.p, f.changed_label_file(state(note="n" * 20_000_000))],
         "characters long (at most 10,000)", names=lambda f: f.dir / "bad.jsonl"),
    # 6. import that imports nothing
    Case("import an empty folder", lambda f: ["import", f.p, (f.dir / "empty").mkdir() or f.dir / "empty"],
         "nothing imported: no files to import", names=lambda f: f.dir / "empty"),
    Case("import the project itself", lambda f: ["import", f.p, f.p], "is the project itself", names=lambda f: f.p),
    Case("import a CSV of garbage",
         lambda f: ["import", f.p, (f.dir / "g.csv").write_text("x,y\n1,2\n") and f.dir / "g.csv"],
         "g.csv: not a transcript (a table without question/answer columns); nothing imported",
         names=lambda f: f.dir / "g.csv"),
    Case("import a file that is no transcript",
         lambda f: ["import", f.p, (f.dir / "n.json").write_text("{}") and f.dir / "n.json"],
         "; nothing imported", names=lambda f: f.dir / "n.json"),
    # 7. backups: only when something will be written, whole, the newest few
    Case("merging a file twice: the second takes no backup",
         lambda f: ["merge", f.p, merged_once(f)], None,
         check=lambda f, r: "no backup taken" in r.output and backups(f) == ["once"]),
    Case("many merges keep the newest three backups, none empty",
         lambda f: ["merge", f.p, many_merges(f, 4)], None,
         check=lambda f, r: len(backups(f)) == 3 and all(p.stat().st_size > 0 for p in f.dir.glob("p.db.bak-*"))),
    # 8. the folders coders use: warned in one line, and a sync service's conflicted copy merges
    Case("a project in a Dropbox folder is warned about",
         lambda f: ["stats", copy_project(f.p, mkdir(f.dir / "Dropbox (Personal)") / "p.db")], None,
         check=lambda f, r: warned(r, "is in a folder that Dropbox syncs", "annotator merge")),
    Case("a project in OneDrive is warned about",
         lambda f: ["codebook", copy_project(f.p, mkdir(f.dir / "OneDrive - Lab") / "p.db")], None,
         check=lambda f, r: warned(r, "is in a folder that OneDrive syncs", "code on a copy outside OneDrive")),
    Case("a sync service's conflicted copy merges like any coder's file",
         lambda f: ["merge", f.p, conflicted_copy(f)], None,
         check=lambda f, r: labels_of(f.p, "carol") == 1 and "1 label added" in r.output),
    # accepted, and correct
    Case("check reads every page of a good project", lambda f: ["check", f.p], None,
         check=lambda f, r: "ok, every page and the schema checked" in r.output),
    Case("a label file with a byte-order mark merges",
         lambda f: ["merge", f.p, (f.dir / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + f.label_file().read_bytes())
                    and f.dir / "bom.jsonl"], None,
         check=lambda f, r: labels_of(f.p, "erin") == 5),
]


def mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def warned(result: Result, *says: str) -> bool:
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    return len(warnings) == 1 and all(s in warnings[0] for s in says)


def backups(f: Files) -> list[str]:
    return ["once"] * len(list(f.dir.glob("p.db.bak-*")))


def merged_once(f: Files) -> Path:
    path = f.label_file()
    assert CliRunner().invoke(cli, ["merge", str(f.p), str(path)]).exit_code == 0
    return path


def many_merges(f: Files, n: int) -> Path:
    """``n`` merges that each change a label, then the file of one more."""
    for k in range(n + 1):
        path = f.dir / f"c{k}.db"
        copy_project(f.p, path)
        with Store(path) as store:
            store.labels.set(1 + k % 3, "carol", "tone", ["firm", "warm", "neutral"][k % 3])
        if k < n:
            assert CliRunner().invoke(cli, ["merge", str(f.p), str(path)]).exit_code == 0
    return path


def conflicted_copy(f: Files) -> Path:
    """What Dropbox leaves when two computers wrote the project: a copy named after the conflict."""
    path = copy_project(f.p, f.dir / "p (conflicted copy 2024-05-01).db")
    with Store(path) as store:
        store.labels.set(3, "carol", "tone", "firm")
    return path


def labels_of(project: Path, coder: str) -> int:
    with Store(project, readonly=True) as store:
        return store.db.execute("SELECT count(*) FROM labels WHERE coder = ?", [coder]).fetchone()[0]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in the folder and its digest (SQLite's -wal and -shm come and go with a connection)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


@pytest.fixture(scope="module")
def labelled(tmp_path_factory: pytest.TempPathFactory, _template: Path) -> Path:
    path = copy_project(_template, tmp_path_factory.mktemp("robust") / "labelled.db")
    with Store(path) as store:
        label_two_coders(store)
        store.checkpoint()
    return path


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_case_is_refused_in_one_line_or_accepted_and_correct(case: Case, labelled: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    files = Files(tmp_path, labelled)
    args = [str(a) for a in case.args(files)]
    before = snapshot(tmp_path)
    result = CliRunner().invoke(cli, args)
    lines = [line for line in result.output.splitlines() if line.strip()]
    if case.refused is None:
        assert result.exit_code == 0, result.output
        assert case.check is not None and case.check(files, result) is not False
        return
    errors = [line for line in lines if line.startswith("Error:")]
    assert result.exit_code != 0 and len(errors) == 1, result.output[:2000]
    assert "Traceback" not in result.output
    line = errors[0]
    assert case.refused in line, line
    assert len(line) < 400, line[:400]
    if case.names is not None:
        assert line.startswith(f"Error: {case.names(files)}"), line
    assert snapshot(tmp_path) == before  # nothing changed, no backup left behind




@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_leaves_no_backup_and_the_project_as_it_was(labelled: Path, tmp_path: Path) -> None:
    files = Files(tmp_path, labelled)
    other = files.label_file()
    limit = files.p.stat().st_size // 2  # room for the WAL and its index, not for a whole copy
    before = snapshot(tmp_path)
    result = annotator_on_a_full_disk(limit, "merge", str(files.p), str(other))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {files.p}.bak-") and "cannot write the backup" in line, line
    assert snapshot(tmp_path) == before  # no backup, no partial one, the project untouched
    assert not [p for p in tmp_path.iterdir() if ".bak-" in p.name]


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_leaves_no_journal_of_a_backup_larger_than_the_page_cache(tmp_path: Path) -> None:
    # Past SQLite's page cache (2 MB) the backup's copy spills into its file before it ends: the
    # failed write left its hidden rollback journal (.p.db.bak-....part-journal) beside the project.
    answer = "China firmly opposes this. " * 40
    items = [Item("qa", i, f"Question {i} about trade?", f"Answer {i}: {answer}", "Reuters", "Wang Wenbin",
                  "2021-12-09") for i in range(2000)]
    project = new_project(tmp_path / "p.db", [source("long.txt", items, date="2021-12-09")])
    label_file = coder_label_file(project, tmp_path / "erin.jsonl")
    for extra in tmp_path.glob("erin.work.db*"):
        extra.unlink()
    assert project.stat().st_size > 3_000_000  # the copy outgrows the cache
    before = snapshot(tmp_path)
    result = annotator_on_a_full_disk(project.stat().st_size // 2, "merge", str(project), str(label_file))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {project}.bak-") and "cannot write the backup" in line, line
    assert snapshot(tmp_path) == before  # hidden files included: no copy, no journal of one


def test_a_merge_the_lock_refuses_keeps_every_older_backup(labelled: Path, tmp_path: Path) -> None:
    # The backup used to be taken and the older ones pruned before the write met the lock:
    # three refused merges left three copies of the unchanged project and no restore point.
    import os

    files = Files(tmp_path, labelled)
    other = files.label_file()
    for n, day in enumerate(("01", "02", "03")):
        old = files.p.with_name(f"p.db.bak-202612{day}-100000")
        old.write_bytes(files.p.read_bytes())
        os.utime(old, (1_700_000_000 + n, 1_700_000_000 + n))
    before = snapshot(tmp_path)
    holder = sqlite3.connect(files.p, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = CliRunner().invoke(cli, ["merge", str(files.p), str(other)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"Error: {files.p}") and "locked" in line, line
    assert snapshot(tmp_path) == before  # the three backups, and no fourth copy of the unchanged file
    result = CliRunner().invoke(cli, ["merge", str(files.p), str(other)])  # once the lock is gone
    assert result.exit_code == 0, result.output
    kept = sorted(p.name for p in tmp_path.iterdir() if ".bak-" in p.name)
    assert len(kept) == 3 and "p.db.bak-20261201-100000" not in kept and "p.db.bak-20261203-100000" in kept


@pytest.mark.parametrize("stop", ["ctrl-c", "locked"])
def test_a_merge_stopped_after_its_first_file_says_which_are_merged(labelled: Path, tmp_path: Path, monkeypatch,
                                                                    stop: str) -> None:
    # Each file is merged in its own transaction: Ctrl+C or a lock met at the second file leaves
    # the first merged. The line said "Aborted." (or "locked") alone, and the user could not tell
    # which files to give again.
    from annotator.core import merge as merging

    files = Files(tmp_path, labelled)
    first, second = files.label_file("erin.jsonl"), tmp_path / "finn.jsonl"
    coder_label_file(files.p, second, coder="finn")
    real, calls = merging.merge_file, []

    def stopping(store, path, **kw):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt if stop == "ctrl-c" else sqlite3.OperationalError("database is locked")
        return real(store, path, **kw)

    monkeypatch.setattr(merging, "merge_file", stopping)
    result = CliRunner().invoke(cli, ["merge", str(files.p), str(first), str(second)])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"Error: {second}: interrupted;" if stop == "ctrl-c" else f"Error: {files.p}"), line
    assert f"merged before it stopped, and kept: {first} (" in line and line.endswith(f"not merged: {second}"), line
    [backup] = [p for p in tmp_path.iterdir() if ".bak-" in p.name]
    assert f"the project as before them is {backup}" in line
    with Store(files.p) as store:
        coders = {r[0] for r in store.db.execute("SELECT DISTINCT coder FROM labels")}
    assert "erin" in coders and "finn" not in coders


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
@pytest.mark.parametrize("how", [["--labels", "--coder", "alice"], ["--format", "labelstudio", "--all-coders"],
                                 ["--format", "prodigy", "--coder", "alice"]])
def test_an_export_the_disk_cannot_hold_is_one_line_and_leaves_no_file(tmp_path: Path, corpus: Path, how) -> None:
    # past the first megabyte (the file's buffer) a record's write meets the full disk before the
    # commit's flush does; it was a traceback
    project = new_project(tmp_path / "p.db", real_files(corpus, "mfa-en", 65) + real_files(corpus, "mfa-zh", 52))
    with Store(project) as store, store.transaction():
        for item_id in store.browse.item_ids(Filter(), "alice"):
            store.labels.set(item_id, "alice", "topics", ["taiwan", "us_relations"])
            for tone in ("firm", "neutral", "warm", "firm") * 2:  # history: a label file past the buffer
                store.labels.set(item_id, "alice", "tone", tone)
    with Store(project) as store:
        store.checkpoint()
    out = tmp_path / "out.json"
    before = snapshot(tmp_path)
    result = annotator_on_a_full_disk(1_100_000, "export", str(project), *how, "-o", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {out}: cannot write the export ("), line
    assert snapshot(tmp_path) == before  # no export, no partial one, the project untouched


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
@pytest.mark.parametrize("there", [False, True], ids=["new folder", "folder already there"])
def test_a_docbin_export_the_disk_cannot_hold_leaves_no_folder_it_made(tmp_path: Path, corpus: Path,
                                                                       there: bool) -> None:
    # --format spacy makes its folder first: a full disk removed the files and left the folder
    project = new_project(tmp_path / "p.db", real_files(corpus, "mfa-en", 30))
    with Store(project) as store, store.transaction():
        for item_id in store.browse.item_ids(Filter(), "alice"):
            store.labels.set(item_id, "alice", "topics", ["taiwan", "us_relations"])
    with Store(project) as store:
        store.checkpoint()
    out = tmp_path / "docbin"
    if there:
        out.mkdir()  # the user's own folder stays, empty as it was
    before = sorted(p.name for p in tmp_path.rglob("*") if not p.name.endswith(("-wal", "-shm")))
    result = annotator_on_a_full_disk(100_000, "export", str(project), "--format", "spacy", "--coder", "alice",
                                      "-o", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {out}") and "cannot write the export (" in line, line
    assert sorted(p.name for p in tmp_path.rglob("*") if not p.name.endswith(("-wal", "-shm"))) == before
