"""Which items get suggestions, for which schemes: never the reliability sample, never a scheme left off."""

from __future__ import annotations

import json

from annotator.core.assign import assign
from annotator.core.model import settings as model_settings
from annotator.core.model.model import Suggester, as_record
from annotator.core.model.training import train
from annotator.core.store import Store


def test_suggestions_are_off_until_the_lead_turns_them_on(english):
    with Store(english) as store:
        train(store)
        item = store.items.model_texts()[0].item_id
        assert Suggester(store).suggestions_for(item) == {}
        model_settings.update(store, suggest_on=["tone"])
        shown = Suggester(store).suggestions_for(item)
        assert list(shown) == ["tone"]
        (option, p), = shown["tone"].probabilities.items()
        assert shown["tone"].value == option and 0.5 <= p <= 1  # the most probable of two options
        model_settings.update(store, suggest_off=["tone"], suggest_on=["topics"])
        assert model_settings.read(store)["suggest"] == ["topics"]


def test_the_reliability_sample_never_gets_a_suggestion(english):
    with Store(english) as store:
        train(store)
        model_settings.update(store, suggest_on=["topics", "tone"])
        assign(store, ["alice", "bob", "carol"], overlap=0.3, seed=1)
        overlap = store.assignments.overlap()
        suggester = Suggester(store)
        items = [t.item_id for t in store.items.model_texts()]
        assert 0 < len(overlap) < len(items)
        for item_id in items:
            shown = suggester.suggestions_for(item_id)
            assert suggester.blind(item_id) == (item_id in overlap)
            if item_id in overlap:
                assert shown == {}
            else:
                assert "tone" in shown


def test_a_multi_choice_suggestion_is_every_option_at_one_half_or_more(english):
    with Store(english) as store:
        train(store)
        model_settings.update(store, suggest_on=["topics"])
        suggester = Suggester(store)
        seen = [suggester.suggestions_for(t.item_id).get("topics") for t in store.items.model_texts()]
    made = [s for s in seen if s is not None]
    assert made and all(all(p >= 0.5 for p in s.probabilities.values()) for s in made)
    assert all(s.value == [o for o in ("taiwan", "other") if o in s.probabilities] for s in made)
    assert any(s.value == ["taiwan"] for s in made)
    record = json.loads(as_record({"topics": made[0]}))
    assert record["topics"]["model"] == made[0].model and record["topics"]["value"] == made[0].value
    assert as_record({}) is None
