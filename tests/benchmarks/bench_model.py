"""The suggestion model on 100,000 real question-answer pairs labelled by rule, four schemes.

Plain script: prints three JSON lines {"name", "value", "unit", "baseline", "ratio"}, each
baseline measured in the same run on the same data:

- ``model_train_s``: ``annotator model DB train`` (read the labels, learn the vocabulary,
  train and calibrate every option's classifier, keep them in the file). Baseline:
  scikit-learn's stock ``TfidfVectorizer().fit_transform`` over the same questions and
  answers -- the vectorising alone, by the library, on this machine now. Goal: < 60 s.
- ``suggest_p95_ms``: the suggestions for one item, every scheme on (read the item,
  features, four heads), over 1,000 items. Baseline: one stock scikit-learn pipeline
  (``TfidfVectorizer`` + ``LogisticRegression``, one scheme) predicting one item. Goal: < 5 ms.
- ``model_size_mb``: what the models add to the project file. Baseline: the project
  file without them (100,000 items with their gold labels).

The project is ``tests/benchmarks/bigproject.rule_labelled_project``: the shared corpus's
real English and Chinese pairs, imported again as further conferences up to 100,000.
"""

from __future__ import annotations

import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from annotator.core.model import settings as model_settings
from annotator.core.model.model import Suggester
from annotator.core.model.training import train
from annotator.core.store import Store
from tests.benchmarks.bigproject import rule_labelled_project
from tests.helpers import CORPUS

N_ITEMS = 100_000
N_SUGGEST = 1000


def p95(samples: list[float]) -> float:
    samples = sorted(samples)
    return samples[int(0.95 * (len(samples) - 1))]


def line(name: str, value: float, unit: str, baseline: float) -> None:
    print(json.dumps({"name": name, "value": round(value, 4), "unit": unit, "baseline": round(baseline, 4),
                      "ratio": round(value / baseline, 4)}), flush=True)


def main() -> None:
    template = rule_labelled_project(CORPUS, N_ITEMS)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.db"
        shutil.copy(template, path)
        project_bytes = path.stat().st_size
        with Store(path) as store:
            texts = store.items.model_texts()
            start = time.perf_counter()
            result = train(store)
            train_s = time.perf_counter() - start
            assert set(result["trained"]) == {"topics", "tone", "question_stance", "rhetoric"}, result["skipped"]
            size = store.models.size()
            model_settings.update(store, suggest_on=["topics", "tone", "question_stance", "rhetoric"])

        start = time.perf_counter()
        TfidfVectorizer().fit_transform([f"{t.question}\n{t.answer}" for t in texts])
        vectorise_s = time.perf_counter() - start
        line("model_train_s", train_s, "s", vectorise_s)

        rng = random.Random(5)
        sample = [texts[rng.randrange(len(texts))].item_id for _ in range(N_SUGGEST)]
        with Store(path, readonly=True) as store:
            suggester = Suggester(store)
            times = []
            for item_id in sample:
                t = time.perf_counter()
                suggester.suggestions_for(item_id)
                times.append(time.perf_counter() - t)
            gold = {g.item_id: g.value for g in store.gold.values("tone")}
        few = texts[:5000]
        stock = make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=200))
        stock.fit([f"{t.question}\n{t.answer}" for t in few], [gold[t.item_id] for t in few])
        by_id = {t.item_id: t for t in texts}
        stock_times = []
        for item_id in sample:
            t0 = time.perf_counter()
            stock.predict_proba([f"{by_id[item_id].question}\n{by_id[item_id].answer}"])
            stock_times.append(time.perf_counter() - t0)
        line("suggest_p95_ms", 1000 * p95(times), "ms", 1000 * p95(stock_times))
        line("model_size_mb", size / 1e6, "MB", project_bytes / 1e6)


if __name__ == "__main__":
    main()
