"""The model learns a signal put in real text, in English and Chinese, the same way each time."""

from __future__ import annotations

import numpy as np
import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.model.evaluation import conference_folds, evaluate
from annotator.core.model.features import _HAS_CJK, FeatureSpace, analyse
from annotator.core.model.heads import calibrated, fit_head
from annotator.core.model.training import TooFewLabels, train
from annotator.core.store import Store
from tests.helpers import rule_gold, rule_values


@pytest.mark.parametrize("project", ["english", "chinese"])
def test_cross_validated_f1_is_far_above_the_majority_baseline(project, request):
    with Store(request.getfixturevalue(project), readonly=True) as store:
        result = evaluate(store)
    topics, tone = result["schemes"]["topics"], result["schemes"]["tone"]
    assert result["folds"] == 5 and topics["conferences"] == 40
    # the rule: "taiwan" where the pair mentions Taiwan; the baseline always says "other"
    assert topics["model"]["macro_f1"] > topics["baseline"]["macro_f1"] + 0.25
    assert topics["per_option"]["taiwan"]["precision"] > 0.8
    assert topics["per_option"]["taiwan"]["recall"] > 0.5
    assert tone["model"]["macro_f1"] > tone["baseline"]["macro_f1"] + 0.1
    assert set(result["skipped"]) == {"question_stance", "rhetoric"}  # no labels of theirs


def test_chinese_text_gives_characters_and_their_pairs():
    assert analyse("美国对台湾 arms sales") == ["美", "国", "对", "台", "湾", "美国", "国对", "对台", "台湾", "arms", "sales"]
    assert analyse("China's position, 2021: firm.") == ["china", "position", "2021", "firm"]
    # the characters, then the pairs, then the words (a CJK character ends a word)
    assert analyse("Türkiye 和 Côte d'Ivoire") == ["和", "türkiye", "côte", "ivoire"]
    assert analyse("中美ABC关系") == ["中", "美", "关", "系", "中美", "关系", "abc"]


def test_the_vocabulary_learnt_gives_the_matrix_transform_gives(corpus):
    """``Block.fit`` counts Chinese characters and pairs as numbers, not strings: its vocabulary
    must be every term ``analyse`` gives in two or more texts, and its matrix the one
    ``transform`` makes from those words, on real English and Chinese answers."""
    from collections import Counter

    from annotator.core.importers import parse_file
    from annotator.core.model.features import Block

    texts = [i.answer for folder in ("mfa-en", "mfa-zh") for f in sorted((corpus / "real" / folder).glob("*.html"))[:15]
             for i in parse_file(f).items if i.answer]
    assert sum(bool(_HAS_CJK.search(t)) for t in texts) > 50 and sum(not _HAS_CJK.search(t) for t in texts) > 50
    block, X = Block.fit(texts, 10**9)
    df = Counter(term for t in texts for term in set(analyse(t)))
    assert set(block.vocabulary) == {term for term, n in df.items() if n >= 2}
    assert (abs(X - block.transform(texts)) > 0).nnz == 0
    few, Y = Block.fit(texts, 300)  # the most frequent, as many as asked
    assert len(few.vocabulary) == 300 and min(df[t] for t in few.vocabulary) >= max(
        n for t, n in df.items() if t not in few.vocabulary)
    assert (abs(Y - few.transform(texts)) > 0).nnz == 0


def test_folds_never_split_a_conference():
    groups = np.repeat(np.arange(12), [3, 7, 1, 4, 9, 2, 5, 5, 6, 1, 8, 2])
    for train_rows, test_rows in conference_folds(groups, 5):
        assert not set(groups[train_rows]) & set(groups[test_rows])


def _arrays(path):
    with Store(path, readonly=True) as store:
        return {(owner, name): (dtype, shape, bytes(data)) for owner, name, dtype, shape, data in
                store.db.execute("SELECT owner, name, dtype, shape, data FROM model_arrays ORDER BY 1, 2")}


def test_the_same_labels_and_seed_train_the_same_model(english, tmp_path):
    twin = tmp_path / "twin.db"
    twin.write_bytes(english.read_bytes())
    for path in (english, twin):
        with Store(path) as store:
            train(store, seed=3)
    first = _arrays(english)
    assert first == _arrays(twin) and len(first) > 8
    with Store(twin) as store:
        train(store, seed=4)
    second = _arrays(twin)
    assert first.keys() == second.keys()
    assert first[("scheme:tone", "coef")] != second[("scheme:tone", "coef")]


def test_kept_arrays_give_scikit_learns_probabilities(english):
    with Store(english, readonly=True) as store:
        items = store.items.model_texts()
        gold = {g.item_id: g.value for g in store.gold.values("tone")}
    space, X = FeatureSpace.fit(items)
    tone = [gold[i.item_id] for i in items]
    rng = np.random.default_rng(0)
    three = [v if v == "firm" else ["neutral", "warm"][int(rng.integers(2))] for v in tone]
    cases = [
        (tone, ["neutral", "firm"], False),  # two options, the codebook's order not scikit-learn's
        (three, ["firm", "neutral", "warm"], False),
        ([[v] for v in tone], ["firm"], True),
    ]
    for values, options, multi in cases:
        head = fit_head(X, values, options, multi=multi, seed=0)
        target = np.array([options[0] in v for v in values]) if multi else np.array(values, dtype=object)
        reference = calibrated(X, target, 0).predict_proba(X)
        ours = head.proba(X)
        if multi:
            np.testing.assert_allclose(ours[:, 0], reference[:, 1], atol=1e-5)
        else:
            classes = sorted(options)
            np.testing.assert_allclose(ours, reference[:, [classes.index(o) for o in options]], atol=1e-5)


def test_too_few_labels_say_how_many_are_needed(store):
    rule_gold(store)  # five items
    with pytest.raises(TooFewLabels, match=r"nothing to train \(labels from gold, consensus\): topics, tone: 5 labelled items, at least 20 needed; "
                       r"question_stance, rhetoric: 0 labelled items, at least 20 needed; this project holds only 5 items"):
        train(store)
    with pytest.raises(AnnotatorError, match=r"the codebook has no scheme 'tones' \(schemes: topics, tone"):
        train(store, scheme="tones")


def test_consensus_counts_only_where_every_coder_agrees(english):
    with Store(english) as store:
        store.db.execute("DELETE FROM gold")
        ids = [t.item_id for t in store.items.model_texts()][:30]
        for n, item_id in enumerate(ids):
            store.labels.set(item_id, "alice", "tone", "firm" if n % 2 else "neutral")
            store.labels.set(item_id, "bob", "tone", "firm" if n % 2 or n < 6 else "neutral")
        result = train(store, scheme="tone", sources=("consensus",))
    assert result["trained"]["tone"]["examples"] == 27  # items 0, 2, 4: bob says firm, alice neutral
    assert result["trained"]["tone"]["origins"] == {"consensus": 27}


def test_labels_a_forced_codebook_change_left_outside_it_are_not_learnt_from(english):
    # After 'hostile' was renamed (forced), training stopped at "scheme 'question_stance' has no
    # option 'hostile'" for every scheme; after topics became single-choice it raised a TypeError.
    from dataclasses import replace

    with Store(english) as store:
        rule_gold(store, ("question_stance",))
        cb = store.codebook()
        stance, topics = cb.scheme("question_stance"), cb.scheme("topics")
        gold = [g.value for g in store.gold.values("question_stance")]
        assert gold.count("hostile") >= 3 and gold.count("friendly") >= 3
        renamed = replace(stance, options=tuple(replace(o, value="adversarial") if o.value == "hostile" else o
                                                for o in stance.options))
        single = replace(topics, kind="single")  # every gold value of topics a list, the other kind now
        store.set_codebook(replace(cb, schemes=tuple({"question_stance": renamed, "topics": single}.get(s.name, s)
                                                     for s in cb.schemes)), force=True)
        result = train(store)
    trained = result["trained"]["question_stance"]
    assert trained["examples"] == len(gold) - gold.count("hostile")  # the rest read as they were
    assert trained["options"] == ["neutral", "friendly"]  # 'adversarial' never taught by the old 'hostile'
    assert "topics" in result["skipped"] and "tone" in result["trained"]


def test_one_items_features_are_its_row_of_the_matrix(english, chinese):
    for path in (english, chinese):
        with Store(path, readonly=True) as store:
            items = store.items.model_texts()
        space, X = FeatureSpace.fit(items[:200])
        again = space.transform(items)
        np.testing.assert_allclose(again[:200].toarray(), X.toarray(), atol=1e-6)
        topics = [rule_values(i.question, i.answer)["topics"] for i in items[:200]]
        head = fit_head(X, topics, ["taiwan", "other"], multi=True, seed=0)
        for r, item in enumerate(items[::7]):
            cols, vals = space.one(item)
            row = np.zeros(space.width)
            row[cols] = vals
            np.testing.assert_allclose(row, again[r * 7].toarray()[0], atol=1e-6)
            np.testing.assert_allclose(head.proba_one(cols, vals), head.proba(again[r * 7])[0], atol=1e-6)



def test_the_labels_fingerprint_is_the_hash_of_each_uid_value_and_origin(english):
    """Written out of its parts for speed, the fingerprint must stay the one of
    ``json.dumps([uid, value, origin])`` per example, or every model trained before reads as stale."""
    import hashlib
    import json

    from annotator.core.agreement.project import select_schemes
    from annotator.core.model.records import examples, fingerprint

    with Store(english) as store:
        texts = store.items.model_texts()
        ids, uids = {t.uid: t.item_id for t in texts}, {t.item_id: t.uid for t in texts}
        for scheme in select_schemes(store, None):
            found = examples(store, scheme, ("gold",), ids)
            plain = hashlib.sha256(json.dumps([scheme.name, ["gold"], 3]).encode())
            for e in sorted(found, key=lambda e: uids[e.item_id]):
                plain.update(json.dumps([uids[e.item_id], scheme.canonical(e.value), e.origin], ensure_ascii=False).encode())
            assert fingerprint(scheme, found, ("gold",), 3, uids) == plain.hexdigest()[:16]
