"""How well the model would suggest, cross-validated by conference, beside the majority baseline.

Folds are whole conferences (scikit-learn's ``GroupKFold`` over the item's conference, every
source and language of it -- ``store.conferences``): pairs
of one press conference share their topic of the day, their wording and often their
answer, so a fold by item would test the model on near-copies of what it learnt from.
In each fold the vocabulary and every classifier are learnt from the training
conferences alone. A single-choice scheme is scored by accuracy and macro F1, a
multi-choice one by micro and macro F1 over its options (an option is suggested at
probability 0.5 or more); beside each, the same figure of the baseline that always gives
the training folds' most frequent value (for multi-choice, its most frequent set of options).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold

from annotator.core.agreement.project import select_schemes
from annotator.core.codebook import Scheme
from annotator.core.model import settings as model_settings
from annotator.core.model.features import FeatureSpace
from annotator.core.model.heads import fit_head
from annotator.core.model.records import Example, examples
from annotator.core.model.training import Plan, TooFewLabels, nothing_to, plan
from annotator.core.store import Store
from annotator.core.wording import plural

MAX_FOLDS = 5
THRESHOLD = 0.5  # a multi-choice option is suggested at this probability or more


def evaluate(store: Store, *, scheme: str | None = None, sources: tuple[str, ...] | None = None,
             seed: int | None = None, folds: int = MAX_FOLDS,
             progress: Callable[[int, int], None] = lambda done, total: None) -> dict[str, Any]:
    """{"schemes": {scheme: figures}, "skipped": {scheme: why}, "sources", "seed"}."""
    settings = model_settings.read(store)
    sources = sources or tuple(settings["sources"])
    seed = settings["seed"] if seed is None else seed
    texts = store.items.model_texts()
    ids = {t.uid: t.item_id for t in texts}
    by_id = {t.item_id: t for t in texts}
    found: dict[str, tuple[Scheme, list[Example]]] = {}
    skipped: dict[str, str] = {}
    for sch in select_schemes(store, scheme):
        ex = examples(store, sch, sources, ids)
        whole = plan(sch, ex, sources)
        if isinstance(whole, str):
            skipped[sch.name] = whole
        else:
            found[sch.name] = (sch, ex)
    items = sorted({e.item_id for _, ex in found.values() for e in ex})
    conference_of = store.conferences.by_item()  # a conference's languages and copies in one fold
    groups = np.array([conference_of[i] for i in items])
    n_groups = len(set(groups.tolist()))
    if found and n_groups < 2:
        raise TooFewLabels(f"{store.path}: the labelled items come from {n_groups} conference; evaluating by "
                           "conference needs labels from at least 2")
    if not found:
        raise nothing_to("evaluate", store, skipped, sources)
    k = min(folds, n_groups)
    predicted: dict[str, dict[int, Any]] = {name: {} for name in found}
    baseline: dict[str, dict[int, Any]] = {name: {} for name in found}
    splits = conference_folds(groups, k)
    for done, (train_rows, test_rows) in enumerate(splits):
        progress(done, len(splits))
        train_ids = {items[r] for r in train_rows}
        test_ids = [items[r] for r in test_rows]
        space, X_train = FeatureSpace.fit([by_id[items[r]] for r in train_rows])
        X_test = space.transform([by_id[i] for i in test_ids])
        train_row = {items[r]: j for j, r in enumerate(train_rows)}
        test_row = {i: j for j, i in enumerate(test_ids)}
        for name, (sch, ex) in found.items():
            train_ex = [e for e in ex if e.item_id in train_ids]
            test_ex = [e for e in ex if e.item_id not in train_ids]
            if not test_ex:
                continue
            majority = _majority(sch, train_ex)
            fold_plan = plan(sch, train_ex, sources)
            if isinstance(fold_plan, Plan):
                head = fit_head(X_train[[train_row[e.item_id] for e in train_ex]], [e.value for e in train_ex],
                                fold_plan.options, multi=sch.multi, seed=seed)
                proba = head.proba(X_test[[test_row[e.item_id] for e in test_ex]])
                for e, p in zip(test_ex, proba, strict=True):
                    predicted[name][e.item_id] = _decide(sch, head.options, p)
            else:  # too few labels in this fold's training conferences: it suggests nothing
                for e in test_ex:
                    predicted[name][e.item_id] = [] if sch.multi else None
            for e in test_ex:
                baseline[name][e.item_id] = majority
    progress(len(splits), len(splits))
    out = {name: _figures(sch, ex, predicted[name], baseline[name], k, len({conference_of[e.item_id] for e in ex}))
           for name, (sch, ex) in found.items()}
    return {"schemes": out, "skipped": skipped, "sources": list(sources), "seed": seed, "folds": k}


def conference_folds(groups: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train rows, test rows) of ``k`` folds that keep each conference (``groups``) whole."""
    return list(GroupKFold(n_splits=k).split(np.zeros(len(groups)), groups=groups))


def _decide(scheme: Scheme, options: list[str], p: np.ndarray) -> Any:
    if scheme.multi:
        return [o for o, q in zip(options, p, strict=True) if q >= THRESHOLD]
    return options[int(np.argmax(p))]


def _majority(scheme: Scheme, found: list[Example]) -> Any:
    if scheme.multi:
        counts = Counter(frozenset(scheme.as_set(e.value)) for e in found)
        top = max(counts.items(), key=lambda kv: (kv[1], sorted(kv[0])))[0] if counts else frozenset()
        return sorted(top)
    counts = Counter(e.value for e in found)
    return max(counts.items(), key=lambda kv: (kv[1], kv[0]))[0] if counts else None


def _figures(scheme: Scheme, found: list[Example], predicted: dict[int, Any], baseline: dict[int, Any],
             folds: int, conferences: int) -> dict[str, Any]:
    tested = [e for e in found if e.item_id in predicted]
    options = list(scheme.values)
    base = {"scheme": scheme.name, "kind": scheme.kind, "examples": len(found), "tested": len(tested),
            "folds": folds, "conferences": conferences}
    if scheme.multi:
        truth = _indicator(scheme, [e.value for e in tested])
        guess = _indicator(scheme, [predicted[e.item_id] for e in tested])
        naive = _indicator(scheme, [baseline[e.item_id] for e in tested])
        used = [j for j in range(len(options)) if truth[:, j].any()]
        p, r, _, support = precision_recall_fscore_support(truth, guess, average=None, zero_division=0)
        model = {"micro_f1": _f1(truth, guess, "micro", used), "macro_f1": _f1(truth, guess, "macro", used)}
        majority = {"micro_f1": _f1(truth, naive, "micro", used), "macro_f1": _f1(truth, naive, "macro", used)}
        per = {options[j]: {"precision": float(p[j]), "recall": float(r[j]), "support": int(support[j])} for j in used}
        return base | {"model": model, "baseline": majority, "per_option": per}
    truth_s = [e.value for e in tested]
    guess_s = [predicted[e.item_id] if predicted[e.item_id] is not None else "" for e in tested]
    naive_s = [baseline[e.item_id] for e in tested]
    used_s = [o for o in options if o in set(truth_s)]
    p, r, _, support = precision_recall_fscore_support(truth_s, guess_s, labels=used_s, average=None, zero_division=0)
    model = {"accuracy": float(accuracy_score(truth_s, guess_s)),
             "macro_f1": float(f1_score(truth_s, guess_s, labels=used_s, average="macro", zero_division=0))}
    majority = {"accuracy": float(accuracy_score(truth_s, naive_s)),
                "macro_f1": float(f1_score(truth_s, naive_s, labels=used_s, average="macro", zero_division=0))}
    per = {o: {"precision": float(p[j]), "recall": float(r[j]), "support": int(support[j])} for j, o in enumerate(used_s)}
    return base | {"model": model, "baseline": majority, "per_option": per}


def _indicator(scheme: Scheme, values: list[Any]) -> np.ndarray:
    index = {o: j for j, o in enumerate(scheme.values)}
    out = np.zeros((len(values), len(index)), dtype=int)
    for i, v in enumerate(values):
        for o in scheme.as_set(v):
            if o in index:
                out[i, index[o]] = 1
    return out


def _f1(truth: np.ndarray, guess: np.ndarray, average: str, used: list[int]) -> float:
    if not used:
        return 0.0
    return float(f1_score(truth[:, used], guess[:, used], average=average, zero_division=0))


def evaluation_table(result: dict[str, Any]) -> str:
    """The figures of ``evaluate`` for the terminal, a few lines per scheme."""
    lines = [f"cross-validated by conference ({plural(result['folds'], 'fold')}), learning from {', '.join(result['sources'])}"]
    for name, r in result["schemes"].items():
        lines.append(f"{name} ({r['kind']}): {plural(r['tested'], 'item')} tested, {plural(r['conferences'], 'conference')}")
        figures = "  ".join(f"{k.replace('_', ' ')} {r['model'][k]:.3f} (baseline {r['baseline'][k]:.3f})"
                            for k in r["model"])
        lines.append(f"  {figures}")
        width = max([6] + [len(o) for o in r["per_option"]])
        lines.append(f"  {'option':<{width}}  precision  recall  support")
        for o, po in r["per_option"].items():
            lines.append(f"  {o:<{width}}  {po['precision']:>9.3f}  {po['recall']:>6.3f}  {po['support']:>7}")
    for name, why in result["skipped"].items():
        lines.append(f"{name}: not evaluated: {why}")
    return "\n".join(lines) + "\n"
