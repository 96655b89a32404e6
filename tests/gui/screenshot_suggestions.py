"""Take the README's screenshot of suggestions in the coding window.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tests/gui/screenshot_suggestions.py docs/suggestions.png

Builds a project of 40 real English conferences of the shared corpus with gold labels by the
tests' rule (``helpers.rule_gold``), does the lead's side (``helpers.suggesting``: models
trained, suggestions on for topics and tone, items assigned to alice and bob with a reliability
sample), then opens alice's window on her first item outside the sample, having ticked the
question's stance herself: the topics and tone show the model's marks and probabilities, no
box ticked by the model.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.gui.shots import own_settings, shoot, styled_application


def main(out: Path) -> None:
    tmp = own_settings()
    from annotator.core.store import Store
    from annotator.gui.app import make_window
    from tests.helpers import CORPUS, new_project, real_files, rule_gold, suggesting

    db = new_project(tmp / "project.db", real_files(CORPUS, "mfa-en", 40))
    with Store(db) as store:
        rule_gold(store)
        suggesting(store)
        overlap = store.assignments.overlap()
        mine = [i for i in store.assignments.item_ids("alice") if i not in overlap]
    app = styled_application()
    window = make_window(db, "alice", restore=False)
    window.resize(1400, 900)
    window.show()

    def pick() -> None:
        item = next(i for i in mine if "Taiwan" in window.session.store.items.get(i)["question"])
        window.show_item(item)
        window.toggle("question_stance", "neutral")

    shoot(app, window, out, pick)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "suggestions.png")
