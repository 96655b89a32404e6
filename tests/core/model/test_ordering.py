"""Active ordering: Enter's "next" in a coder's assignment follows the order the lead chose --
the document's by default, the least sure item ahead (``uncertain``) or of the next few
(``mixed``) -- and the reliability sample keeps document order whatever the order."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.filters import Filter
from annotator.core.model import ordering
from annotator.core.model import settings as model_settings
from annotator.core.session import CodingSession
from annotator.core.store import Store


def _coder(store: Store) -> CodingSession:
    session = CodingSession(store, "alice")
    session.follow_assignment(None, assignments_known=False)
    session.load_list(session.flt)
    assert session.flt == Filter(assigned=True)
    return session


def _done(session: CodingSession, item_id: int) -> int | None:
    session.open(item_id)
    for scheme, option in (("topics", "other"), ("tone", "neutral"), ("question_stance", "neutral")):
        if scheme in session.schemes_shown() and scheme not in session.annotation.labels:
            session.toggle(scheme, option)
    return session.done_and_next()


def test_document_order_is_the_default(suggesting_project: Path) -> None:
    with Store(suggesting_project) as store:
        assert model_settings.read(store)["order"] == "document"
        mine = store.assignments.item_ids("alice")
        session = _coder(store)
        assert _done(session, mine[0]) == mine[1]
        assert _done(session, mine[1]) == mine[2]


def test_uncertain_takes_the_least_sure_item_ahead_outside_the_sample(suggesting_project: Path) -> None:
    with Store(suggesting_project) as store:
        model_settings.update(store, order="uncertain")
        overlap = store.assignments.overlap()
        mine = store.assignments.item_ids("alice")
        start = next(i for n, i in enumerate(mine[:-1]) if i not in overlap and mine[n + 1] not in overlap)
        session = _coder(store)
        scores = session.suggestions.uncertainty()
        ahead = [i for i in mine if i > start][:ordering.AHEAD]
        free = [i for i in ahead if i not in overlap]
        u = scores(free)
        expected = max(free, key=lambda i: (u[i], -free.index(i)))
        assert expected != ahead[0]  # the order changes something here
        assert _done(session, start) == expected
        assert u[expected] == max(u.values())


def test_the_reliability_sample_keeps_document_order(suggesting_project: Path) -> None:
    with Store(suggesting_project) as store:
        overlap = store.assignments.overlap()
        mine = store.assignments.item_ids("alice")
        before_blind = next(i for n, i in enumerate(mine[:-1]) if mine[n + 1] in overlap)
        nxt = mine[mine.index(before_blind) + 1]
        for order in ("uncertain", "mixed"):
            model_settings.update(store, order=order)
            session = _coder(store)
            session.open(before_blind)
            assert session.next_after(before_blind) == nxt  # the sample's item comes in its turn
        # and no blind item is ever picked out of turn for its uncertainty, however unsure
        free = [i for i in mine if i not in overlap]
        blind = sorted(overlap & set(mine))
        pool = [free[0], *blind[:2], free[1], *blind[2:4], free[2]]  # within the mixed window
        unsure = {i: (0.99 if i in overlap else 0.1) for i in pool} | {free[2]: 0.5}
        for order in ("uncertain", "mixed"):
            picked = ordering.choose(pool, order, overlap.__contains__, lambda ids: {i: unsure[i] for i in ids})
            assert picked == free[2]
        assert ordering.choose(blind[:1] + free[:3], "uncertain", overlap.__contains__,
                               lambda ids: {i: unsure[i] for i in ids}) == blind[0]  # its turn: document order


def test_mixed_stays_within_the_next_few(suggesting_project: Path) -> None:
    with Store(suggesting_project) as store:
        model_settings.update(store, order="mixed")
        overlap = store.assignments.overlap()
        mine = store.assignments.item_ids("alice")
        session = _coder(store)
        item = next(i for i in mine if i not in overlap)
        for _ in range(6):
            ahead = [i for i in mine if i > item and i not in session.store.assignments.overlap()]
            nxt = _done(session, item)
            assert nxt is not None
            assert nxt in overlap or nxt in ahead[:ordering.MIXED_AHEAD]
            undone_ahead = [i for i in mine if i > item and not store.labels.annotation(i, "alice").done]
            assert nxt in undone_ahead[:ordering.MIXED_AHEAD]
            item = nxt


def test_only_the_assignment_is_reordered(suggesting_project: Path) -> None:
    with Store(suggesting_project) as store:
        model_settings.update(store, order="uncertain")
        session = CodingSession(store, "carol")  # no assignment: the whole project, in order
        session.load_list(Filter())
        first = store.items.first_id()
        assert _done(session, first) == store.browse.next_unlabelled(Filter(), "carol", first)


def test_the_lead_sets_the_order_from_the_command_line(suggesting_project: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["model", str(suggesting_project), "order", "mixed"])
    assert out.exit_code == 0 and "next follows: mixed" in out.output
    out = runner.invoke(cli, ["model", str(suggesting_project), "order"])
    assert "next follows: mixed" in out.output
    out = runner.invoke(cli, ["model", str(suggesting_project), "order", "random"])
    assert out.exit_code != 0 and len(out.output.strip().splitlines()) == 1 and "random" in out.output
