"""Train the schemes' models from the project's labels and keep them in the project file.

Reproducible: the examples are read in item order, the vocabulary is built from them in
that order, and every random choice (the SVM's shuffling, the calibration folds) takes
the seed, so the same labels and seed give the same arrays, byte for byte (a test holds it).
The vocabulary is learnt from the labelled items only: a million-item project with a few
thousand labels trains in seconds, not minutes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.core.agreement.project import select_schemes
from annotator.core.codebook import Scheme
from annotator.core.errors import AnnotatorError
from annotator.core.model import settings as model_settings
from annotator.core.model.features import FeatureSpace
from annotator.core.model.heads import FOLDS, fit_head, learnable
from annotator.core.model.records import Example, examples, fingerprint, scheme_fingerprint
from annotator.core.model.storage import save
from annotator.core.store import Store
from annotator.core.wording import plural

MIN_EXAMPLES = 20  # items with a value of the scheme, fewer and a model would learn noise

Progress = Callable[[int, int], None]


class TooFewLabels(AnnotatorError):
    """No scheme asked for has the labels it takes to train."""


@dataclass
class Plan:
    """One scheme to train: its examples and the options it can learn."""

    scheme: Scheme
    examples: list[Example]
    options: list[str]

    @property
    def classifiers(self) -> int:
        return len(self.options) if self.scheme.multi else 1


def _counts(scheme: Scheme, found: list[Example]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for e in found:
        counts.update(scheme.as_set(e.value) if scheme.multi else [e.value])
    return counts


def plan(scheme: Scheme, found: list[Example], sources: tuple[str, ...]) -> Plan | str:
    """What training ``scheme`` on ``found`` would learn, or why it cannot (what it has and
    what it needs, in a few words; the sources are said beside it, see ``nothing_to``)."""
    counts = _counts(scheme, found)
    options = [o for o in learnable(dict(counts), len(found), multi=scheme.multi) if scheme.option(o)]
    options = [o for o in scheme.values if o in options]  # codebook order
    has = plural(len(found), "labelled item")
    if len(found) < MIN_EXAMPLES:
        return f"{has}, at least {MIN_EXAMPLES} needed"
    if scheme.multi and not options:
        return f"{has}, but no option given on {FOLDS} or more of them and left off {FOLDS} or more: one such option is needed"
    if not scheme.multi and len(options) < 2:
        given = f"only {plural(len(options), 'option')}" if options else "no option"
        return f"{has}, but {given} given on {FOLDS} or more of them: 2 are needed"
    return Plan(scheme, found, options)


def nothing_to(verb: str, store: Store, skipped: dict[str, str], sources: tuple[str, ...]) -> TooFewLabels:
    """The one line that says no scheme can be trained (``verb``: train, evaluate): what each
    scheme has, against what it needs, and what to do about it."""
    items = store.items.count()
    if items < MIN_EXAMPLES:
        todo = (f"this project holds only {plural(items, 'item')}: import more transcripts (annotator import), "
                f"label {MIN_EXAMPLES} or more and {verb} again")
    else:
        todo = f"label more items and {verb} again"
    if "single" not in sources:
        todo += " (one coder's labels count with --from gold,consensus,single)"
    alike: dict[str, list[str]] = {}  # schemes short of the same, named together: said once
    for name, why in skipped.items():
        alike.setdefault(why, []).append(name)
    short = "; ".join(f"{', '.join(names)}: {why}" for why, names in alike.items())
    return TooFewLabels(f"{store.path}: nothing to {verb} (labels from {', '.join(sources)}): {short}; {todo}")


def train(store: Store, *, scheme: str | None = None, sources: tuple[str, ...] | None = None,
          seed: int | None = None, progress: Progress = lambda done, total: None) -> dict[str, Any]:
    """Train the model of one scheme (``scheme``) or of every scheme that has the labels for it,
    from ``sources`` (None: the project's setting, else gold and consensus), and keep them.
    Returns {"trained": {scheme: what it learnt}, "skipped": {scheme: why}, "seed", "sources"}."""
    chosen = select_schemes(store, scheme)
    settings = model_settings.read(store)
    sources = sources or tuple(settings["sources"])
    seed = settings["seed"] if seed is None else seed
    texts = store.items.model_texts()
    ids = {t.uid: t.item_id for t in texts}
    uids = {t.item_id: t.uid for t in texts}
    plans: list[Plan] = []
    skipped: dict[str, str] = {}
    for sch in chosen:
        result = plan(sch, examples(store, sch, sources, ids), sources)
        if isinstance(result, str):
            skipped[sch.name] = result
        else:
            plans.append(result)
    if not plans:
        raise nothing_to("train", store, skipped, sources)
    total = 1 + sum(p.classifiers for p in plans)
    progress(0, total)
    by_id = {t.item_id: t for t in texts}
    labelled = sorted({e.item_id for p in plans for e in p.examples})
    rows = {item_id: r for r, item_id in enumerate(labelled)}
    space, X = FeatureSpace.fit([by_id[i] for i in labelled])
    done = 1
    progress(done, total)

    def step() -> None:
        nonlocal done
        done += 1
        progress(done, total)

    codebook = store.codebook()
    heads = {}
    trained: dict[str, Any] = {}
    for p in plans:
        sel = np.array([rows[e.item_id] for e in p.examples])
        head = fit_head(X[sel], [e.value for e in p.examples], p.options, multi=p.scheme.multi, seed=seed, progress=step)
        origins = Counter(e.origin for e in p.examples)
        meta = {
            "labels": fingerprint(p.scheme, p.examples, sources, seed, uids),
            "codebook": scheme_fingerprint(p.scheme),
            "codebook_version": codebook.version,
            "sources": list(sources),
            "seed": seed,
            "examples": len(p.examples),
            "origins": dict(sorted(origins.items())),
            "left_out": [o for o in p.scheme.values if o not in p.options],
        }
        heads[p.scheme.name] = (head, meta)
        trained[p.scheme.name] = {k: meta[k] for k in ("examples", "origins", "left_out", "labels")} | {
            "options": head.options}
    save(store, space, heads)
    return {"trained": trained, "skipped": skipped, "seed": seed, "sources": list(sources),
            "features": space.width}

