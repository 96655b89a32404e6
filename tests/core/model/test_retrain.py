"""The background retrain: due once the sources give RETRAIN_AFTER more items than a model
learnt from, and then done by a process of its own that trains every scheme as ``annotator
model train`` would."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from annotator.core.model.retrain import RETRAIN_AFTER, command, due, new_examples, retrain_if_due
from annotator.core.model.storage import load_heads
from annotator.core.store import Store
from tests.helpers import learning_from_coders, rule_values


def _label(store: Store, items: list[int], coder: str = "alice") -> None:
    texts = {t.item_id: t for t in store.items.model_texts(items)}
    for item_id in items:
        values = rule_values(texts[item_id].question, texts[item_id].answer)
        store.labels.set(item_id, coder, "tone", values["tone"])
        store.labels.set(item_id, coder, "topics", values["topics"])


def test_a_retrain_is_due_after_enough_new_labels_and_the_process_does_it(english: Path) -> None:
    with Store(english) as store:
        left = learning_from_coders(store)
        before = {name: m.version for name, m in load_heads(store).items()}
        assert new_examples(store) == {"tone": 0, "topics": 0} and due(store) == {}
        _label(store, left[:RETRAIN_AFTER - 1])
        assert due(store) == {}
        assert retrain_if_due(store) == {"retrained": [], "new": {"tone": RETRAIN_AFTER - 1,
                                                                  "topics": RETRAIN_AFTER - 1}}
        assert {name: m.version for name, m in load_heads(store).items()} == before  # nothing trained
        _label(store, left[RETRAIN_AFTER - 1:RETRAIN_AFTER])
        assert due(store) == {"tone": RETRAIN_AFTER, "topics": RETRAIN_AFTER}
        store.checkpoint()
    done = subprocess.run(command(english), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout.strip().splitlines()[-1])
    assert said["retrained"] == ["tone", "topics"]
    with Store(english) as store:
        heads = load_heads(store)
        assert all(heads[s].version != before[s] for s in before)
        assert all(heads[s].meta["origins"] == {"gold": 120, "single": RETRAIN_AFTER} for s in before)
        assert due(store) == {}


def test_a_model_the_codebook_changed_under_is_due_at_once(english: Path) -> None:
    # A relabelled tone option made its model unusable, and the background retrain waited for
    # 20 new labels before replacing it: until then the coders saw no tone suggestion at all.
    from dataclasses import replace

    with Store(english) as store:
        learning_from_coders(store)
        assert due(store) == {}
        cb = store.codebook()
        tone = cb.scheme("tone")
        relabelled = replace(tone, options=tuple(replace(o, label="Stern") if o.value == "firm" else o
                                                 for o in tone.options))
        store.set_codebook(replace(cb, schemes=tuple(relabelled if s is tone else s for s in cb.schemes)))
        assert set(due(store)) == {"tone"}
        assert retrain_if_due(store)["retrained"] == ["tone", "topics"]
        assert due(store) == {}  # the new model is of the scheme as it is now


def test_a_project_that_cannot_be_opened_is_one_line_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-project.db"
    bad.write_text("hello", encoding="utf-8")
    done = subprocess.run(command(bad), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1 and "not-a-project.db" in done.stderr
    assert done.stdout == ""
