"""A model kept in the project file can never run code, and is refused once it no longer fits."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

from annotator.core.codebook import Codebook
from annotator.core.model import settings as model_settings
from annotator.core.model.model import Suggester
from annotator.core.model.status import status
from annotator.core.model.storage import ModelRefused, load_heads, load_space
from annotator.core.model.training import train
from annotator.core.store import Store


class _Payload:
    """What a crafted pickle would do when read: leave a file behind."""

    def __init__(self, canary: str) -> None:
        self.canary = canary

    def __reduce__(self):
        return (open, (self.canary, "w"))


def _trained(path, schemes=("topics", "tone")):
    with Store(path) as store:
        train(store)
        model_settings.update(store, suggest_on=list(schemes))


def test_loading_and_suggesting_never_unpickle(english, monkeypatch):
    _trained(english)

    def refuse(*args, **kwargs):
        raise AssertionError("a model was unpickled")

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "Unpickler", refuse)
    monkeypatch.setattr(np, "load", refuse)
    with Store(english, readonly=True) as store:
        suggester = Suggester(store)
        assert set(suggester.models) == {"topics", "tone"} and not suggester.refused
        item = store.items.model_texts()[0].item_id
        assert set(suggester.suggestions_for(item)) == {"topics", "tone"}


@pytest.mark.parametrize("dtype", ["|O", "object", "<U8", "|V16"])
def test_a_crafted_array_in_a_project_file_cannot_run_code(english, tmp_path, dtype):
    _trained(english)
    canary = tmp_path / "ran"
    with Store(english) as store:
        store.db.execute("UPDATE model_arrays SET dtype = ?, data = ? WHERE owner = 'scheme:tone' AND name = 'coef'",
                         [dtype, pickle.dumps(np.array([_Payload(str(canary))], dtype=object))])
        store.db.conn.commit()
    with Store(english, readonly=True) as store:
        refused = load_heads(store)["tone"]
        assert isinstance(refused, ModelRefused)
        assert str(refused) == (f"{english}: the model of scheme 'tone': array 'coef' has dtype {dtype!r}, which a model "
                                "never has; it is not read (retrain to replace it)")
        suggester = Suggester(store)
        assert set(suggester.models) == {"topics"} and str(refused) == suggester.refused["tone"]
    assert not canary.exists()


def test_a_damaged_model_is_named_in_one_line(english):
    _trained(english)
    with Store(english) as store:
        store.db.execute("UPDATE model_arrays SET data = substr(data, 1, 10) WHERE owner = 'scheme:topics' AND name = 'coef'")
        fid = store.db.execute("SELECT features FROM models WHERE scheme = 'tone'").fetchone()[0]
        store.db.execute("UPDATE model_features SET meta = '{\"format\": 1, \"settings\": 3' WHERE id = ?", [fid])
        store.db.conn.commit()
    with Store(english, readonly=True) as store:
        assert "array 'coef' is damaged (10 bytes for shape [2, " in str(load_heads(store)["topics"])
        with pytest.raises(ModelRefused, match=r"the model's features \(\w+\): its description is damaged"):
            load_space(store, fid)
        assert Suggester(store).models == {}


def test_a_model_holding_a_value_that_is_no_number_is_refused(english):
    # A NaN in the right number of bytes passed every check: the window suggested 'firm' at "nan %",
    # wrote NaN into label_events.suggested (not JSON), and merge then refused the coder's work.
    _trained(english)
    with Store(english) as store:
        store.db.execute("UPDATE model_arrays SET data = ? WHERE owner = 'scheme:tone' AND name = 'a'",
                         [np.array([np.nan], dtype="<f8").tobytes()])
        fid = store.db.execute("SELECT features FROM models WHERE scheme = 'topics'").fetchone()[0]
        idf = store.db.execute("SELECT data FROM model_arrays WHERE owner = ? AND name = 'idf_answer'",
                               [f"features:{fid}"]).fetchone()[0]
        store.db.execute("UPDATE model_arrays SET data = ? WHERE owner = ? AND name = 'idf_answer'",
                         [np.array([np.inf], dtype="<f4").tobytes() + idf[4:], f"features:{fid}"])
        store.db.conn.commit()
    with Store(english, readonly=True) as store:
        assert str(load_heads(store)["tone"]) == (
            f"{english}: the model of scheme 'tone': array 'a' is damaged (it holds a value that is not a finite "
            "number); retrain to replace it")
        with pytest.raises(ModelRefused, match=r"features \(\w+\): array 'idf_answer' is damaged \(it holds a value"):
            load_space(store, fid)
        assert Suggester(store).models == {}


def test_a_model_whose_scheme_has_changed_is_refused(english):
    _trained(english)
    with Store(english) as store:
        data = json.loads(store.codebook().to_json())
        data["version"] = 2
        tone = next(s for s in data["schemes"] if s["name"] == "tone")
        tone["options"].append({"value": "mocking", "label": "Mocking", "key": "6", "description": ""})
        store.set_codebook(Codebook.from_json(json.dumps(data)))
    with Store(english, readonly=True) as store:
        suggester = Suggester(store)
        assert set(suggester.models) == {"topics"}
        assert suggester.refused["tone"] == (
            f"{english}: the model of scheme 'tone' was trained on codebook version 1 and the scheme has changed "
            f"since (now version 2); retrain it: annotator model {english} train --scheme tone")
        assert status(store)["schemes"]["tone"]["model"] == "refused"


def test_a_model_whose_scheme_changed_within_one_codebook_version_says_what_changed(english):
    # A lead who relabels an option without raising the version read "trained on codebook version 1
    # and the scheme has changed since (now version 1)".
    _trained(english)
    with Store(english) as store:
        data = json.loads(store.codebook().to_json())
        tone = next(s for s in data["schemes"] if s["name"] == "tone")
        tone["options"][1]["label"] = "Stern"
        store.set_codebook(Codebook.from_json(json.dumps(data)))
    with Store(english, readonly=True) as store:
        assert Suggester(store).refused["tone"] == (
            f"{english}: the model of scheme 'tone' was trained before the scheme changed (its kind, options, their "
            "labels or descriptions, or the item kinds it applies to; the codebook's version is 1 still); retrain it: "
            f"annotator model {english} train --scheme tone")


def test_retraining_one_scheme_keeps_the_others_and_only_the_features_they_read(english):
    with Store(english) as store:
        train(store)
        train(store, scheme="tone", seed=5)  # the same items: the same features, kept once
        assert store.db.execute("SELECT count(*) FROM model_features").fetchone()[0] == 1
        store.db.execute("DELETE FROM gold WHERE scheme = 'tone' AND item_id % 3 = 0")
        store.db.conn.commit()
        train(store, scheme="tone", seed=5)  # fewer items: a vocabulary of their own
        assert store.db.execute("SELECT count(*) FROM model_features").fetchone()[0] == 2
        assert {s: m.meta["seed"] for s, m in load_heads(store).items()} == {"topics": 0, "tone": 5}
        train(store)
        assert store.db.execute("SELECT count(*) FROM model_features").fetchone()[0] == 1
        assert store.db.execute("SELECT count(DISTINCT owner) FROM model_arrays").fetchone()[0] == 3


def test_a_codebook_without_the_scheme_leaves_its_model_unused(english):
    _trained(english)
    with Store(english) as store:
        data = json.loads(store.codebook().to_json())
        data["schemes"] = [s for s in data["schemes"] if s["name"] != "tone"]
        store.db.execute("DELETE FROM gold WHERE scheme = 'tone'")
        store.db.conn.commit()
        store.set_codebook(Codebook.from_json(json.dumps(data)))
        assert "the codebook has no such scheme any more" in str(load_heads(store)["tone"])

