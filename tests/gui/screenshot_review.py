"""Screenshot of the review window on a project two coders labelled: `python tests/gui/screenshot_review.py OUT.png`.

Run under a virtual display (xvfb-run). The project is built from the sample
transcripts; two coders' labels are written through the store.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.gui.shots import own_settings, shoot, styled_application


def main(out: Path) -> None:
    from annotator.core.sample import ensure_sample_project
    from annotator.core.store import Store
    from annotator.gui.review_window import ReviewWindow

    db = ensure_sample_project(own_settings() / "study.db")
    rng = random.Random(4)
    tones = ["confrontational", "firm", "neutral", "conciliatory", "warm"]
    topics = ["taiwan", "us_relations", "trade_sanctions", "technology", "consular", "disasters_aid"]
    with Store(db) as store:
        for item_id in range(1, store.items.count() + 1):
            base = rng.randrange(5)
            for coder, shift in (("alice", 0), ("bob", rng.choice([0, 0, 1, -1]))):
                store.labels.set(item_id, coder, "tone", tones[max(0, min(4, base + shift))])
                for t in rng.sample(topics, rng.choice([1, 2])):
                    store.labels.toggle(item_id, coder, "topics", t)
                if store.items.get(item_id)["kind"] == "qa":
                    store.labels.set(item_id, coder, "question_stance", rng.choice(["hostile", "neutral"]))
                store.labels.set_done(item_id, coder)
            if item_id % 4 == 0:
                store.labels.set_note(item_id, "bob", "Not sure: the answer mixes warning and invitation.")
                store.labels.set_flag(item_id, "bob", True)
    app = styled_application()
    window = ReviewWindow(Store(db), "lead")
    window.resize(1400, 900)
    window.show()

    shoot(app, window, out, after_ms=800)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/review.png"))
