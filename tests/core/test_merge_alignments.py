"""A merge carries the coders' hand alignments (``annotator align``) with their history: from a
coder's copy and from a coder's label file, never over another coder's, later over earlier for
the same coder, nothing twice; a bad row is one line and nothing is merged."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from unittest import mock

import pytest

from annotator.core import aligning
from annotator.core.errors import AnnotatorError
from annotator.core.export import ExportOptions, export
from annotator.core.merge import merge_files
from annotator.core.store import Store
from tests.helpers import bilingual_project, copy_project, read_jsonl


@pytest.fixture(scope="session")
def _bilingual(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    return bilingual_project(tmp_path_factory.mktemp("merge-alignments") / "bilingual.db", corpus)


@pytest.fixture
def lead(_bilingual: Path, tmp_path: Path) -> Path:
    return copy_project(_bilingual, tmp_path / "lead.db")


def qa(store: Store, language: str) -> dict[int, str]:
    """{seq: item uid} of the question-answer pairs of the page in ``language``."""
    return dict(store.connection.execute(
        "SELECT i.seq, i.uid FROM items i JOIN sources s ON s.id = i.source_id"
        " WHERE s.language = ? AND i.kind = 'qa' ORDER BY i.seq", [language]).fetchall())


def hand(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT e.uid, z.uid, a.decided_by, a.decided_at FROM alignments a LEFT JOIN items e ON e.id = a.english_id"
            " LEFT JOIN items z ON z.id = a.chinese_id WHERE a.method = 'hand' ORDER BY 1, 2, 3").fetchall()


def events(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT item_uid, before, after, coder, at FROM alignment_events ORDER BY id").fetchall()


def align(path: Path, item: str, other: str | None, coder: str, minute: int) -> None:
    with Store(path) as store, mock.patch("annotator.core.store.alignments.now",
                                          return_value=f"2026-02-01T09:{minute:02d}:00.000000Z"):
        aligning.align_by_hand(store, item, other, coder)


def coders_copies(lead: Path) -> tuple[Path, Path, dict, dict]:
    """alice and bob each correct the alignment on their own copy; the lead has one of carol's."""
    alice, bob = copy_project(lead, lead.with_name("alice.db")), copy_project(lead, lead.with_name("bob.db"))
    with Store(lead) as store:
        en, zh = qa(store, "en"), qa(store, "zh")
    align(lead, en[6], zh[5], "carol", 1)
    align(alice, en[4], zh[3], "alice", 2)  # taken: nobody else decided these
    align(alice, en[3], None, "alice", 3)  # taken: "no counterpart"
    align(alice, en[6], zh[6], "alice", 4)  # not taken: carol decided English 6 here
    align(bob, en[8], zh[7], "bob", 5)
    for db in (alice, bob):  # a coder with a label, so that their label file can be exported
        with Store(db) as store:
            store.labels.set(store.items.id_for_uid(en[1]), db.stem, "tone", "firm")
    return alice, bob, en, zh


@pytest.mark.parametrize("via", ["project", "label file"])
def test_hand_alignments_come_with_their_history_never_over_another_coders(lead, tmp_path, via):
    alice, bob, en, zh = coders_copies(lead)
    files = [alice, bob]
    if via == "label file":
        files = []
        for db in (alice, bob):
            out = tmp_path / f"{db.stem}.jsonl"
            with Store(db) as store:
                export(store, ExportOptions(selection="coder", coder=db.stem, labels_file=True), out)
            assert read_jsonl(out)[0]["annotator_labels"] == 2  # an older annotator refuses it, not drops them
            files.append(out)
    with Store(lead) as store:
        _bak, (a, b) = merge_files(store, files, backup=False)
    assert (a.alignments_taken, a.alignments_kept, b.alignments_taken) == (2, 1, 1)
    assert "2 hand alignments taken" in a.line() and "1 hand alignment not taken" in a.line()
    rows = {(e, z, by) for e, z, by, _at in hand(lead)}
    assert rows == {(en[6], zh[5], "carol"), (en[4], zh[3], "alice"), (en[3], None, "alice"), (en[8], zh[7], "bob")}
    with Store(lead) as store:
        # The aligner's links of the items a coder aligned went, as with annotator align itself.
        found = aligning.counterparts(store, store.items.id_for_uid(en[4]))["rows"]
        assert [(r["item"]["uid"], r["method"]) for r in found] == [(zh[3], "hand")]
    history = events(lead)
    assert [(u, c) for u, _b, _a, c, _t in history] == [
        (en[6], "carol"), (en[4], "alice"), (en[3], "alice"), (en[6], "alice"), (en[8], "bob")]
    # Merging the same files again changes nothing and adds no history.
    before = hand(lead)
    with Store(lead) as store:
        _bak, (a, b) = merge_files(store, files, backup=False)
    assert hand(lead) == before and events(lead) == history
    assert (a.alignments_taken, b.alignments_taken) == (0, 0)


def test_the_same_coders_later_decision_wins_and_an_earlier_one_does_not(lead, tmp_path):
    laptop = copy_project(lead, tmp_path / "laptop.db")
    with Store(lead) as store:
        en, zh = qa(store, "en"), qa(store, "zh")
    align(lead, en[4], zh[4], "alice", 10)
    align(laptop, en[4], zh[3], "alice", 20)  # later: taken, in place of the project's
    align(laptop, en[9], zh[8], "alice", 1)
    align(lead, en[9], zh[9], "alice", 30)  # the project's is later: kept
    with Store(lead) as store:
        _bak, [summary] = merge_files(store, [laptop], backup=False)
    assert (summary.alignments_taken, summary.alignments_kept) == (1, 1)
    assert {(e, z) for e, z, _by, _at in hand(lead)} == {(en[4], zh[3]), (en[9], zh[9])}


@pytest.mark.parametrize(("record", "says"), [
    ({"alignment": {"english": None, "chinese": None, "coder": "alice", "at": "2026-02-01T09:00:00Z"}},
     "must name its English or its Chinese item"),
    ({"alignment": {"english": "x", "chinese": None, "coder": "a/b", "at": "2026-02-01T09:00:00Z"}},
     "coder name 'a/b' is not allowed"),
    ({"alignment": {"english": "x", "chinese": None, "coder": "alice", "at": "soon"}}, "the alignment's time must be"),
    ({"alignment_event": {"before": "x", "after": [], "coder": "alice", "at": "2026-02-01T09:00:00Z"}},
     "before and after must be lists of uids"),
])
def test_a_bad_alignment_record_is_one_line_and_nothing_merged(lead, tmp_path, record, says):
    alice, _bob, en, _zh = coders_copies(lead)
    out = tmp_path / "alice.jsonl"
    with Store(alice) as store:
        export(store, ExportOptions(selection="coder", coder="alice", labels_file=True), out)
    records = read_jsonl(out) + [{"uid": en[4], **record}]
    out.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    before = (hand(lead), events(lead))
    with Store(lead) as store, pytest.raises(AnnotatorError, match=says) as e:
        merge_files(store, [out], backup=False)
    assert f"line {len(records)}" in str(e.value) and "\n" not in str(e.value)
    assert (hand(lead), events(lead)) == before


def test_a_bad_alignment_row_of_a_copy_is_one_line_and_nothing_merged(lead, tmp_path):
    alice, _bob, _en, _zh = coders_copies(lead)
    with sqlite3.connect(alice) as conn:
        conn.execute("UPDATE alignments SET decided_by = '@x' WHERE method = 'hand' AND decided_by = 'alice'")
    before = (hand(lead), events(lead))
    with Store(lead) as store, pytest.raises(AnnotatorError, match="hand alignment 1: coder name '@x' is not allowed"):
        merge_files(store, [alice], backup=False)
    assert (hand(lead), events(lead)) == before


@pytest.mark.parametrize("via", ["project", "label file"])
def test_merging_a_file_again_takes_no_backup_for_hand_alignments_the_project_holds(lead, tmp_path, via):
    """A coder's file holding a hand alignment, merged a second time, changes nothing: it takes no
    backup (each one would push the project's real backups out of the newest three)."""
    alice, _bob, en, zh = coders_copies(lead)

    def alices_file() -> Path:
        if via == "project":
            return alice
        out = tmp_path / "alice.jsonl"
        with Store(alice) as store:
            export(store, ExportOptions(selection="coder", coder="alice", labels_file=True), out)
        return out

    with Store(lead) as store:
        first, [summary] = merge_files(store, [alices_file()])
    assert first is not None and summary.alignments_taken == 2
    with Store(lead) as store:
        again, [summary] = merge_files(store, [alices_file()])
    assert again is None and summary.alignments_taken == 0
    align(alice, en[8], zh[8], "alice", 9)  # a new decision alone: the project changes, backed up first
    with Store(lead) as store:
        later, [summary] = merge_files(store, [alices_file()])
    assert later is not None and summary.alignments_taken == 1
