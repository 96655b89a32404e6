"""``annotator agreement`` beside assisted and unassisted coding: values given with a suggestion
on screen, units with such a value, agreement and agreement with gold on each side, and how
often a coder kept the suggestion unchanged -- counted from a project coded through the
session as coders code, against counts kept by hand here."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.agreement.project import agreement_table, project_agreement
from annotator.core.session import CodingSession
from annotator.core.store import Store


def test_assisted_and_unassisted_coding_are_counted_apart(suggesting_project: Path) -> None:
    with Store(suggesting_project) as store:
        overlap = sorted(store.assignments.overlap())
        free = [t.item_id for t in store.items.model_texts() if t.item_id not in store.assignments.overlap()]
        gold = {g.item_id: g.value for g in store.gold.values("tone")}
        alice, bob = CodingSession(store, "alice"), CodingSession(store, "bob")
        suggested_tone: dict[int, str] = {}
        kept, changed = free[:10], free[10:15]
        for item_id in kept + changed:
            alice.open(item_id)
            suggested_tone[item_id] = alice.suggestions.shown["tone"].value
            assert "tone" in alice.accept_suggestions()
            if item_id in changed:  # alice disagrees with the model's tone
                other = next(o for o in ("firm", "neutral") if o != suggested_tone[item_id])
                alice.toggle("tone", other)
        for item_id in kept[:6]:  # bob codes six of them, taking the suggestion too
            bob.open(item_id)
            bob.accept_suggestions()
        for item_id in overlap[:8]:  # both code eight of the reliability sample, blind
            for session in (alice, bob):
                session.open(item_id)
                assert session.suggestions.shown == {}
                session.toggle("tone", "neutral")
        results = project_agreement(store, scheme="tone", bootstrap=0)
        table = agreement_table(results)

    a = results["tone"]["suggestions"]
    assert a["assisted"]["values"] == 15 + 6
    assert a["assisted"]["units_compared"] == 6
    assert a["accepted_unchanged"] == {"compared": 21, "agree": 16, "rate": round(16 / 21, 4)}
    assert a["unassisted"]["values"] == 16 and a["unassisted"]["units_compared"] == 8
    assert a["unassisted"]["percent_agreement"] == 1.0
    assert a["assisted"]["percent_agreement"] == 1.0  # bob took the same suggestion alice kept
    blind_right = sum(gold.get(i) == "neutral" for i in overlap[:8])
    assert a["unassisted"]["gold"] == {"compared": 16, "agree": 2 * blind_right,
                                       "rate": round(2 * blind_right / 16, 4)}
    alice_right = sum(gold[i] == suggested_tone[i] for i in kept) + sum(gold[i] != suggested_tone[i] for i in changed)
    bob_right = sum(gold[i] == suggested_tone[i] for i in kept[:6])
    assert a["assisted"]["gold"]["compared"] == 21
    assert a["assisted"]["gold"]["agree"] == alice_right + bob_right
    assert "accepted unchanged: 16 of 21 assisted values" in table
    assert "unassisted  16 values, 8 units compared" in table


def test_no_suggestions_section_where_none_was_ever_shown(suggesting_project: Path) -> None:
    with Store(suggesting_project) as store:
        session = CodingSession(store, "alice")
        for item_id in sorted(store.assignments.overlap())[:3]:
            session.open(item_id)
            session.toggle("tone", "firm")
        results = project_agreement(store, scheme="tone", bootstrap=0)
    assert "suggestions" not in results["tone"]


def test_the_json_of_the_command_carries_the_section(suggesting_project: Path) -> None:
    with Store(suggesting_project) as store:
        free = [t.item_id for t in store.items.model_texts() if t.item_id not in store.assignments.overlap()][:4]
        for coder in ("alice", "bob"):
            session = CodingSession(store, coder)
            for item_id in free:
                session.open(item_id)
                session.accept_suggestions()
    out = CliRunner().invoke(cli, ["agreement", str(suggesting_project), "--scheme", "tone", "--bootstrap", "0",
                                   "--json"])
    assert out.exit_code == 0, out.output
    section = json.loads(out.output)["tone"]["suggestions"]
    assert section["assisted"]["units_compared"] == 4 and section["accepted_unchanged"]["rate"] == 1.0
    assert section["unassisted"]["values"] == 0
