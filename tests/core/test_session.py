"""The coding session without a display: what a key does to the project, what waits when the
database refuses, the seconds spent, and what "next" means. Real project files, a clock of the test's own."""

from __future__ import annotations

import os
import sqlite3
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.core.errors import Incomplete
from annotator.core.filters import Filter
from annotator.core.session import (
    ASSIGNMENT,
    FILTER,
    IDLE_CAP_S,
    PROJECT,
    CodingSession,
    Listing,
    Progress,
    WritesWaiting,
    scope,
)
from annotator.core.store import Store
from tests.helpers import mark_done

# the project_path fixture: item 1 is a statement, items 2-5 question-answer pairs, one conference


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def session(project_path: Path, clock: Clock) -> Iterator[CodingSession]:
    store = Store(project_path)
    store.set_busy_timeout(0.05)  # a locked database answers at once instead of in five seconds
    s = CodingSession(store, "alice", clock=clock)
    yield s
    s.store.close()


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Another program holds the write lock."""
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def saved(path: Path, item_id: int, coder: str = "alice"):
    with Store(path, readonly=True) as store:
        return store.labels.annotation(item_id, coder)


def test_an_option_key_follows_the_schemes_rules_and_unticking_the_last_is_no_label(session, project_path) -> None:
    assert session.open(2)
    assert session.toggle("topics", "xinjiang") and session.toggle("topics", "taiwan")
    assert session.annotation.labels == {"topics": ["taiwan", "xinjiang"]}  # codebook order, not key order
    assert saved(project_path, 2).labels == {"topics": ["taiwan", "xinjiang"]}
    session.toggle("topics", "xinjiang")
    session.toggle("topics", "taiwan")
    assert session.annotation.labels == {}
    assert saved(project_path, 2).labels == {}  # the row is gone: no label, not an empty set
    session.toggle("tone", "firm")
    assert saved(project_path, 2).labels == {"tone": "firm"}
    session.toggle("tone", "firm")  # the same single-choice key again clears it
    assert saved(project_path, 2).labels == {}
    assert not session.toggle("no_such_scheme", "x")
    with Store(project_path, readonly=True) as store:
        assert [e["after"] for e in store.labels.history(coder="alice")][-2:] == ["firm", None]


def test_an_option_the_codebook_no_longer_has_leaves_the_value_when_the_coder_changes_it(project_path, clock) -> None:
    with Store(project_path) as store:
        store.labels.set(2, "alice", "topics", ["taiwan", "xinjiang"])
        store.labels.set(3, "alice", "topics", ["taiwan", "xinjiang"])
        cb = store.codebook()
        topics = cb.scheme("topics")
        narrower = replace(topics, options=tuple(o for o in topics.options if o.value != "xinjiang"))
        store.set_codebook(replace(cb, schemes=tuple(narrower if s.name == "topics" else s for s in cb.schemes)),
                           force=True)
    with Store(project_path) as store:
        session = CodingSession(store, "alice", clock=clock)
        session.open(2)
        assert session.annotation.labels == {"topics": ["taiwan", "xinjiang"]}
        session.toggle("topics", "hong_kong")
        session.open(3)
        session.toggle("topics", "taiwan")  # the last option the codebook knows: no label
        assert session.pending == []  # written, not stuck behind a value the store refuses
    assert saved(project_path, 2).labels == {"topics": ["taiwan", "hong_kong"]}
    assert saved(project_path, 3).labels == {}


def test_nothing_reaches_an_item_that_is_not_on_screen(session, project_path) -> None:
    assert not session.toggle("topics", "taiwan")  # nothing opened yet
    session.open(2)
    session.hide()  # the filter matches nothing: the item is no longer shown
    assert not session.toggle("topics", "taiwan") and not session.toggle_flag()
    session.set_note("typed blind")
    assert session.done_and_next() is None
    with Store(project_path, readonly=True) as store:
        assert store.labels.history() == []
    assert not session.open(999) and session.item["id"] == 2  # no such item: the shown one stays


def test_refused_writes_wait_in_order_show_as_done_and_are_written_once_the_lock_goes(session, project_path) -> None:
    problems, written = [], []
    session.on_problem = problems.append
    session.on_written = lambda op, change: written.append((op.kind, op.item_id, change is not None))
    session.open(2)
    with locked(project_path):
        session.toggle("topics", "taiwan")
        assert "locked" in session.problem and "1 change kept and retried every 2 s" in session.problem
        assert "try again" not in session.problem  # the session retries: a coder's second key would undo
        session.set_note("ask")
        session.set_note("ask the lead")  # only the newest text of a note waits
        session.toggle_flag()
        session.toggle("tone", "firm")
        session.toggle("tone", "firm")  # and cleared again: no label
        assert [op.kind for op in session.pending] == ["label", "note", "flag", "label", "label"]
        assert problems[-1].endswith("5 changes kept and retried every 2 s.")
        session.open(3)
        session.open(2)  # back again: what the coder did is shown, not the database's older state
        assert session.annotation.labels == {"topics": ["taiwan"]}
        assert (session.annotation.note, session.annotation.flag) == ("ask the lead", True)
        assert not session.flush()
        assert saved(project_path, 2).labels == {}
    assert session.flush()
    assert problems[-1] == "" and session.problem == "" and session.pending == []
    assert written == [("label", 2, True), ("note", 2, True), ("flag", 2, True), ("label", 2, True), ("label", 2, True)]
    ann = saved(project_path, 2)
    assert (ann.labels, ann.note, ann.flag) == ({"topics": ["taiwan"]}, "ask the lead", True)
    with Store(project_path, readonly=True) as store:
        assert [e["field"] for e in store.labels.history(coder="alice")] == ["topics", "@note", "@flag", "tone", "tone"]


def test_a_vanished_file_keeps_the_change_and_a_read_only_one_is_opened_again(project_path, clock) -> None:
    session = CodingSession(Store(project_path), "alice", clock=clock)
    session.open(2)
    away = project_path.with_name("moved.db")
    os.rename(project_path, away)
    try:
        session.toggle_flag()
        assert "vanished" in session.problem
    finally:
        os.rename(away, project_path)
    assert session.flush() and saved(project_path, 2).flag
    session.store.close()

    reopened = []
    session = CodingSession(Store(project_path, readonly=True), "alice", reopen=lambda: Store(project_path), clock=clock)
    session.on_store_changed = reopened.append
    session.open(3)
    session.toggle("tone", "warm")
    assert len(reopened) == 1 and session.store is reopened[0] and not session.store.readonly
    assert session.pending == [] and saved(project_path, 3).labels == {"tone": "warm"}
    session.store.close()


def test_seconds_are_the_time_on_each_item_capped_and_written_off_the_key_path(session, project_path, clock) -> None:
    waiting = []
    session.on_seconds_waiting = lambda: waiting.append(clock.t)
    session.open(2)
    clock.t += 12
    session.toggle("topics", "taiwan")  # a change carries the time since the item was shown
    assert saved(project_path, 2).seconds == 12
    clock.t += 2.5
    session.open(3)  # leaving: the time is set aside, not written on this key press
    assert len(waiting) == 1 and saved(project_path, 2).seconds == 12
    clock.t += 0.4
    session.open(4)  # passing over an item on the way to another is not time spent on it
    assert len(waiting) == 1
    clock.t += 3 * IDLE_CAP_S
    session.open(5)  # a coder who walked away: one stretch counts at most IDLE_CAP_S
    clock.t += 4
    session.open(3)
    clock.t += 1
    session.toggle_flag()  # the time set aside for item 3 goes with its change
    assert saved(project_path, 3).seconds == 1
    session.flush_seconds()
    assert [saved(project_path, i).seconds for i in (2, 3, 4, 5)] == [14.5, 1, IDLE_CAP_S, 4]


def test_a_write_for_an_item_merged_away_is_dropped_and_holds_back_no_change_behind_it(session, project_path,
                                                                                        clock) -> None:
    session.open(3)
    clock.t += 5
    session.open(2)  # the time read on item 3 is set aside, written later
    with Store(project_path) as other:  # another program (or the window's dialog) merges 2 with 3
        other.corrections.merge_next(2, "lead")
    session.toggle("topics", "taiwan")
    session.flush_seconds()
    assert session.flush() and not session.pending and not session.problem
    assert saved(project_path, 2).labels == {"topics": ["taiwan"]}
    session.toggle("tone", "firm")  # and nothing queues behind it later
    assert saved(project_path, 2).labels == {"topics": ["taiwan"], "tone": "firm"}


def test_a_key_toggles_the_value_the_project_holds_now_not_the_one_read_when_the_item_was_shown(
        session, project_path, clock) -> None:
    session.open(2)
    with Store(project_path) as other:  # the same coder's second window, or another program
        second = CodingSession(other, "alice", clock=clock)
        second.open(2)
        second.toggle("topics", "taiwan")
        second.toggle_flag()
    session.toggle("topics", "hong_kong")  # this window read item 2 before those changes
    session.toggle_flag()
    assert saved(project_path, 2).labels == {"topics": ["taiwan", "hong_kong"]}  # both options, none lost
    assert session.annotation.labels == {"topics": ["taiwan", "hong_kong"]}
    assert not saved(project_path, 2).flag  # unticked: it was ticked when F was pressed here


def test_reading_the_item_again_shows_what_another_program_wrote_and_keeps_what_waits(session, project_path,
                                                                                     clock) -> None:
    session.open(2)
    assert not session.reread()  # nothing changed: nothing to show again
    with Store(project_path) as other:  # a merge, or the coder's second window
        second = CodingSession(other, "alice", clock=clock)
        second.open(2)
        second.toggle("tone", "firm")
        second.set_note("from the laptop")
    assert session.annotation.labels == {}
    assert session.reread()
    assert (session.annotation.labels, session.annotation.note) == ({"tone": "firm"}, "from the laptop")
    with locked(project_path):
        session.toggle("topics", "taiwan")  # refused for now: waits, and is what the coder sees
        assert session.pending
        assert not session.reread()
        assert session.annotation.labels == {"tone": "firm", "topics": ["taiwan"]}
    session.hide()
    assert not session.reread()  # nothing on screen


def code(session: CodingSession) -> None:
    """What the bundled codebook asks of the item on screen before Enter: topics, tone, and for
    a question-answer pair the question's stance."""
    session.toggle("topics", "other")
    session.toggle("tone", "neutral")
    if session.item["kind"] == "qa":
        session.toggle("question_stance", "neutral")


def test_done_and_next_goes_to_the_next_unlabelled_item_wrapping_round(session, project_path) -> None:
    with Store(project_path) as store:
        store.labels.set(4, "alice", "tone", "firm")
        store.labels.set(3, "bob", "tone", "firm")  # another coder's labels do not count
    session.open(2)
    code(session)
    assert session.done_and_next() == 3
    session.open(3)
    code(session)
    assert session.done_and_next() == 5  # 4 is labelled already
    session.open(5)
    code(session)
    assert session.done_and_next() == 1  # round to the start
    session.open(1)
    code(session)
    assert session.done_and_next() is None  # nothing left
    assert [saved(project_path, i).done for i in (1, 2, 3, 4, 5)] == [True, True, True, False, True]


def test_a_coder_with_an_assignment_follows_it_unless_they_turned_it_off(project_path, clock) -> None:
    with Store(project_path) as store:
        store.assignments.set([(2, "alice"), (4, "alice"), (3, "bob"), (5, "bob")])
        alice = CodingSession(store, "alice", clock=clock)
        alice.open(2)
        code(alice)
        alice.done_and_next()
        alice.follow_assignment(None, assignments_known=False)
        assert alice.flt == Filter(assigned=True) and scope(alice.flt) == ASSIGNMENT
        assert alice.first_item(None) == 4  # the first assigned item not done
        assert alice.first_item(5) == 5  # where the coder left off wins
        alice.follow_assignment(Filter(status="unlabelled"), assignments_known=True)  # turned off before
        assert alice.flt == Filter(status="unlabelled")
        alice.follow_assignment(None, assignments_known=False)
        alice.load_list(alice.flt)
        alice.open(4)
        code(alice)
        assert alice.done_and_next() is None  # 2 is done: nothing left in the assignment
        carol = CodingSession(store, "carol", clock=clock)
        carol.follow_assignment(Filter(assigned=True), assignments_known=True)  # the lead withdrew it
        assert carol.flt == Filter() and carol.first_item(None) == 1


def test_enter_on_an_item_missing_a_required_scheme_says_which_and_marks_nothing(session, project_path) -> None:
    session.open(2)
    session.toggle("topics", "taiwan")
    with pytest.raises(Incomplete) as refused:
        session.done_and_next()
    assert str(refused.value) == "Not done: Tone of the answer and Stance of the question need a value first"
    assert refused.value.scheme == "tone"  # the window moves there
    assert not session.annotation.done and not saved(project_path, 2).done
    session.toggle("tone", "firm")
    with pytest.raises(Incomplete, match="^Not done: Stance of the question needs a value first$"):
        session.done_and_next()
    session.toggle("question_stance", "hostile")
    assert session.done_and_next() == 3
    assert saved(project_path, 2).labels == {"topics": ["taiwan"], "tone": "firm", "question_stance": "hostile",
                                             "rhetoric": []}  # rhetoric on screen, nothing ticked: none of these
    undone = session.undo()  # one key press, one undo: the done mark and the empty set
    assert undone is not None and undone.field == "@done"
    assert not saved(project_path, 2).done and "rhetoric" not in saved(project_path, 2).labels


def test_a_statement_shows_no_question_stance_and_its_key_does_nothing(session, project_path) -> None:
    session.open(1)  # the statement
    assert session.schemes_shown() == ["topics", "tone", "rhetoric"]
    assert not session.toggle("question_stance", "hostile")
    assert session.not_applicable("question_stance") == "Stance of the question does not apply to statements"
    assert session.not_applicable("tone") is None
    code(session)
    session.done_and_next()  # no stance asked of a statement
    assert saved(project_path, 1).done and "question_stance" not in saved(project_path, 1).labels
    session.open(2)
    assert session.schemes_shown() == ["topics", "tone", "question_stance", "rhetoric"]


def test_a_codebook_set_while_the_window_is_open_decides_its_next_writes(project_path, clock) -> None:
    # 'codebook --set' dropped 'warm' (no label used it) while alice's window was open: her 'warm'
    # was still written by the codebook the window had read, a value the project's codebook lacks
    # made without any --force.
    with Store(project_path) as store:
        session = CodingSession(store, "alice", clock=clock)
        session.open(2)
        with Store(project_path) as lead:
            cb = lead.codebook()
            tone = cb.scheme("tone")
            narrower = replace(tone, options=tuple(o for o in tone.options if o.value != "warm"))
            assert lead.set_codebook(replace(cb, schemes=tuple(narrower if s is tone else s for s in cb.schemes))) == {}
        session.toggle("tone", "warm")
        assert session.pending == [] and session.problem == ""  # refused for what it is: dropped, not retried
        session.toggle("tone", "firm")
        assert session.pending == []
    assert saved(project_path, 2).labels == {"tone": "firm"}
    with Store(project_path) as store:
        assert "warm" not in [e["after"] for e in store.labels.history(coder="alice")]


def test_enter_again_on_a_done_item_says_none_of_these_for_a_scheme_added_since(project_path, clock) -> None:
    with Store(project_path) as store:
        cb = store.codebook()
        store.set_codebook(replace(cb, schemes=tuple(s for s in cb.schemes if s.name != "rhetoric")))
        s = CodingSession(store, "alice", clock=clock)
        s.open(2)
        code(s)
        s.done_and_next()
        assert "rhetoric" not in store.labels.annotation(2, "alice").labels
        store.set_codebook(cb)  # rhetoric comes back: missing on item 2 until alice looks again
        s = CodingSession(store, "alice", clock=clock)
        s.open(2)
        s.done_and_next()
        assert store.labels.annotation(2, "alice").labels["rhetoric"] == []


def test_next_and_previous_step_through_the_list_even_from_outside_it() -> None:
    listing = Listing(array("q", [2, 4, 6]), 3)
    assert [listing.neighbour(4, 1), listing.neighbour(4, -1)] == [6, 2]
    assert listing.neighbour(6, 1) is None and listing.neighbour(2, -1) is None
    assert [listing.neighbour(3, 1), listing.neighbour(3, -1)] == [4, 2]  # an item the filter left out
    assert [listing.neighbour(7, 1), listing.neighbour(7, -1), listing.neighbour(1, -1)] == [None, 6, None]
    everything = Listing(range(1, 1_000_001), 1_000_000)
    assert everything.neighbour(500_000, 1) == 500_001 and everything.row_of(1_000_000) == 999_999


def test_progress_and_position_are_the_coders_own(session, project_path) -> None:
    session.open(3)
    assert session.progress() == Progress(0, 5, None, 0.0)  # the list is not loaded yet
    assert session.position().rows is None
    session.load_list(Filter())
    session.toggle("tone", "firm")
    with Store(project_path) as store:
        store.labels.set(2, "bob", "tone", "firm")
    p = session.progress()
    assert (p.labelled, p.total, p.left) == (1, 5, 4)
    pos = session.position()
    assert (pos.kind, pos.in_conference, pos.conference_size, pos.row, pos.rows, pos.scope) == ("qa", 3, 5, 2, 5, PROJECT)
    session.load_list(Filter(status="labelled"))
    assert session.progress().left == 0 and len(session.listing) == 1
    assert session.position().scope == FILTER and session.position().row == 0
    session.load_list(Filter(status="unlabelled"))
    assert list(session.listing.ids) == [1, 2, 4, 5] and session.position().row is None
    session.load_list(Filter(search="zebra"))  # nothing matches: the item is outside an empty list
    assert (session.position().row, session.position().rows) == (None, 0)
    assert Progress(10, 100, None, 59).per_hour is None and Progress(10, 100, None, 1800).per_hour == 20


def test_undo_and_redo_wait_for_the_queue_then_step_through_the_coders_history(session, project_path) -> None:
    session.open(2)
    session.toggle("topics", "taiwan")
    session.open(3)
    with locked(project_path):
        session.toggle("tone", "firm")
        with pytest.raises(WritesWaiting):
            session.undo()
    change = session.undo()  # the queued change is written first, then undone
    assert (change.item_id, change.field, change.after) == (3, "tone", None)
    assert session.undo().item_id == 2 and saved(project_path, 2).labels == {}
    assert session.redo().field == "topics" and saved(project_path, 2).labels == {"topics": ["taiwan"]}


def test_changes_refused_at_the_end_are_kept_and_written_by_the_next_session(session, project_path, tmp_path) -> None:
    session.open(2)
    with locked(project_path):
        session.toggle("topics", "taiwan")
        assert not session.finish()
        kept = session.keep_pending(tmp_path)
    assert kept is not None and kept.parent == tmp_path
    with Store(project_path) as store:
        later = CodingSession(store, "alice")
        assert later.write_kept(tmp_path) == f"Wrote 1 change kept from an earlier session ({kept.name})"
        assert CodingSession(store, "alice").write_kept(tmp_path) == ""  # once, never twice
    assert saved(project_path, 2).labels == {"topics": ["taiwan"]}


def test_who_is_coding_is_asked_where_the_remembered_name_never_coded(project_path) -> None:
    from annotator.core.session import coders_to_offer

    with Store(project_path) as store:
        item = store.items.first_id()
        assert coders_to_offer(store, None) == []  # a fresh project, no name yet: asked, nothing to offer
        assert coders_to_offer(store, "alice") == ["alice"]  # never coded here: confirm it
        store.labels.set(item, "bob", "tone", "firm")
        store.assignments.set([(item, "carol")])
        assert coders_to_offer(store, "alice") == ["alice", "bob", "carol"]
        assert coders_to_offer(store, "bob") is None  # bob coded here: no guess, no question
        assert coders_to_offer(store, "carol") is None  # carol was assigned items here


def test_progress_is_the_coders_own_assignment_with_today_and_the_last_hours_pace(project_path, clock) -> None:
    from datetime import UTC, datetime, timedelta

    from annotator.core.session import ASSIGNMENT, PROJECT

    wall = [datetime.now(UTC)]
    with Store(project_path) as store:
        ids = list(store.browse.item_ids(Filter(), "alice"))
        session = CodingSession(store, "alice", clock=clock, wall=lambda: wall[0])
        assert session.progress().of == PROJECT and session.progress().total == len(ids)
        store.assignments.set([(i, "alice") for i in ids[:3]] + [(i, "bob") for i in ids[3:]])
        session = CodingSession(store, "alice", clock=clock, wall=lambda: wall[0])
        p = session.progress()
        assert (p.of, p.labelled, p.total, p.today, p.last_hour, p.hours_left) == (ASSIGNMENT, 0, 3, 0, 0, None)
        for item in ids[:2]:
            mark_done(store, item, "alice")
        store.labels.set(ids[4], "bob", "tone", "firm")  # bob's work is not alice's
        p = session.progress()
        assert (p.labelled, p.total, p.today, p.last_hour) == (2, 3, 2, 2)
        assert p.hours_left == pytest.approx(0.5)  # one item left at two an hour
        wall[0] += timedelta(hours=2)  # two hours on: nothing in the last hour, so no time left to tell
        p = session.progress()
        assert p.last_hour == 0 and p.hours_left is None and p.today in (0, 2)  # 0 if midnight passed
        store.labels.undo("alice")  # the done mark taken back: no longer finished
        wall[0] -= timedelta(hours=2)
        assert session.progress().last_hour == 1


def test_writes_refused_are_kept_in_a_file_at_once_so_a_window_that_dies_loses_none(session, project_path,
                                                                                 tmp_path) -> None:
    from annotator.core import unwritten

    folder = tmp_path / "unwritten"
    session.write_kept(folder)  # the window's start: nothing kept yet, and where to keep
    assert session.open(2)
    with locked(project_path):
        session.toggle("topics", "taiwan")
        session.set_note("ask the lead")
        assert "2 changes kept" in session.problem
        # the window is killed here (kill -9, a crash): no close, no finish
    store = Store(project_path)
    store.set_busy_timeout(0.05)
    again = CodingSession(store, "alice")
    try:
        told = again.write_kept(folder)
        assert "Wrote 2 changes kept" in told
        assert saved(project_path, 2).labels == {"topics": ["taiwan"]} and saved(project_path, 2).note == "ask the lead"
    finally:
        store.close()
    assert unwritten.kept_for(folder, project_path, "alice") == []


def test_the_kept_file_goes_once_the_waiting_writes_are_written(session, project_path, tmp_path) -> None:
    from annotator.core import unwritten

    folder = tmp_path / "unwritten"
    session.write_kept(folder)
    assert session.open(2)
    with locked(project_path):
        session.toggle("topics", "taiwan")
        assert len(unwritten.kept_for(folder, project_path, "alice")) == 1
    assert session.flush()  # the lock gone: written, and not written again by the next window
    assert unwritten.kept_for(folder, project_path, "alice") == [] and not list(folder.glob("*.json*"))
    assert saved(project_path, 2).labels == {"topics": ["taiwan"]}
