"""Take the README's screenshot of the item list after a correction: "look again".

    xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python tests/gui/screenshot_look_again.py docs/look-again.png

Builds a project from a real page of the shared corpus as an importer that errs would
give it (an answer cut off into the next item), has alice label and finish the first
parts and a lead merge the two, then opens alice's window on the merged item, the whole
list in sight (done, look again, not yet coded), and saves a grab of the window.
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
    from tests.helpers import CORPUS, mark_done, new_project, wrongly_split_source

    db = new_project(tmp / "project.db", [wrongly_split_source(CORPUS)])
    with Store(db) as store:
        ids = [i for i, in store.connection.execute("SELECT id FROM items ORDER BY seq")]
        for item_id in ids[:4]:
            store.labels.set(item_id, "alice", "tone", "firm")
            mark_done(store, item_id, "alice")
        store.corrections.merge_next(ids[1], "lead")  # the cut-off answer joins its question
    app = styled_application()
    window = make_window(db, "alice", restore=False)
    window.resize(1400, 900)
    window.show()

    def pick() -> None:
        if not window.item_list.isVisible():
            window.toggle_list()
        window.show_item(ids[1])

    shoot(app, window, out, pick)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/look-again.png"))
