"""What the coding session shows of the model and what history keeps of it: the suggestions on
screen go with every change into ``label_events.suggested`` -- set exactly when some were
shown -- accepting them is one write and one undo step, and a merge carries the record."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.export import ExportOptions, export
from annotator.core.merge import merge_file
from annotator.core.model.storage import load_heads
from annotator.core.session import CodingSession
from annotator.core.store import Store
from tests.helpers import copy_project


def _events(store: Store, coder: str) -> list[dict]:
    return store.labels.history(coder=coder)


def test_suggested_is_recorded_exactly_when_suggestions_were_on_screen(suggesting_project: Path) -> None:
    with Store(suggesting_project) as store:
        overlap = store.assignments.overlap()
        session = CodingSession(store, "alice")
        versions = {name: m.version for name, m in load_heads(store).items()}
        items = [t.item_id for t in store.items.model_texts()][:60]
        shown_on: dict[int, str | None] = {}
        for item_id in items:
            assert session.open(item_id)
            shown = session.suggestions.shown
            assert (not shown) == (item_id in overlap)  # blind on the reliability sample, shown elsewhere
            assert set(shown) <= {"topics", "tone"}  # the schemes the lead turned on, no other
            session.toggle("tone", "neutral")
            session.toggle_flag()
            shown_on[item_id] = session.suggestions.record
        assert any(r is None for r in shown_on.values()) and any(r is not None for r in shown_on.values())
        events = _events(store, "alice")
        assert len(events) == 2 * len(items)
        for e in events:
            assert e["suggested"] == shown_on[e["item_id"]]
            if e["suggested"] is not None:
                said = json.loads(e["suggested"])
                assert set(said) <= {"topics", "tone"}
                assert {name: s["model"] for name, s in said.items()} == {name: versions[name] for name in said}
                assert all(0.5 <= p <= 1 for s in said.values() for p in s["p"].values())


def test_accepting_takes_every_suggestion_in_one_undo_step(suggesting_project: Path) -> None:
    with Store(suggesting_project) as store:
        overlap = store.assignments.overlap()
        item_id = next(t.item_id for t in store.items.model_texts() if t.item_id not in overlap)
        session = CodingSession(store, "alice")
        session.open(item_id)
        shown = session.suggestions.shown
        assert set(shown) == {"topics", "tone"}
        assert sorted(session.accept_suggestions()) == ["tone", "topics"]
        ann = store.labels.annotation(item_id, "alice")
        assert ann.labels == {name: s.value for name, s in shown.items()}
        events = _events(store, "alice")
        assert len({e["operation"] for e in events}) == 1 and len(events) == 2
        assert all(e["suggested"] == session.suggestions.record for e in events)
        assert session.accept_suggestions() == []  # already the coder's labels: nothing written
        session.undo()
        assert store.labels.annotation(item_id, "alice").labels == {}


def test_the_reliability_sample_cannot_be_accepted_into(suggesting_project: Path) -> None:
    with Store(suggesting_project) as store:
        item_id = min(store.assignments.overlap())
        session = CodingSession(store, "alice")
        session.open(item_id)
        assert session.suggestions.shown == {} and session.suggestions.record is None
        assert session.accept_suggestions() == []
        assert _events(store, "alice") == []


def test_a_merge_carries_what_was_suggested(suggesting_project: Path, tmp_path: Path) -> None:
    lead = copy_project(suggesting_project, tmp_path / "lead.db")
    with Store(suggesting_project) as store:  # alice's copy
        overlap = store.assignments.overlap()
        session = CodingSession(store, "alice")
        free = [t.item_id for t in store.items.model_texts() if t.item_id not in overlap][:3]
        blind = sorted(overlap)[:2]
        for item_id in free + blind:
            session.open(item_id)
            session.toggle("tone", "firm")
        session.open(free[0])
        session.accept_suggestions()
        mine = {(e["uid"]): e["suggested"] for e in _events(store, "alice")}
        export(store, ExportOptions(selection="coder", coder="alice", labels_file=True), tmp_path / "alice.jsonl")
    assert sum(v is not None for v in mine.values()) >= 4 and sum(v is None for v in mine.values()) == 2
    for source in (tmp_path / "alice.jsonl", suggesting_project):
        target = copy_project(lead, tmp_path / f"lead-{source.suffix[1:]}.db")
        with Store(target) as store:
            merge_file(store, source)
            carried = {e["uid"]: e["suggested"] for e in _events(store, "alice")}
        assert carried.keys() == mine.keys()
        for uid, said in mine.items():
            assert (carried[uid] is None) == (said is None)
            if said is not None:
                assert json.loads(carried[uid]) == json.loads(said)


def test_a_label_file_with_a_malformed_suggestion_is_refused_in_one_line(suggesting_project: Path,
                                                                        tmp_path: Path) -> None:
    import pytest

    from annotator.core.errors import AnnotatorError

    with Store(suggesting_project) as store:
        item_id = next(t.item_id for t in store.items.model_texts() if t.item_id not in store.assignments.overlap())
        session = CodingSession(store, "alice")
        session.open(item_id)
        session.toggle("tone", "firm")
        export(store, ExportOptions(selection="coder", coder="alice", labels_file=True), tmp_path / "alice.jsonl")
    lines = (tmp_path / "alice.jsonl").read_text(encoding="utf-8").splitlines()
    bad = []
    for line in lines:
        rec = json.loads(line)
        if "event" in rec and "suggested" in rec["event"]:
            rec["event"]["suggested"] = {"tone": {"model": "x", "value": "firm", "p": {"firm": 7}}}
        bad.append(json.dumps(rec, ensure_ascii=False))
    (tmp_path / "bad.jsonl").write_text("\n".join(bad) + "\n", encoding="utf-8")
    lead = copy_project(suggesting_project, tmp_path / "lead.db")
    with Store(lead) as store:
        before = store.labels.history()
        with pytest.raises(AnnotatorError) as refused:
            merge_file(store, tmp_path / "bad.jsonl")
        assert store.labels.history() == before
    message = str(refused.value)
    assert "\n" not in message and "bad.jsonl" in message and "probabilities" in message
