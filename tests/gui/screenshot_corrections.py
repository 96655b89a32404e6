"""Take the README's screenshot of Edit > Correct the import… (Ctrl+K).

    xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python tests/gui/screenshot_corrections.py docs/corrections.png

Builds a project from a real page of the shared corpus as an importer that errs would
give it (two pairs run into one item), opens the window on that item and the dialog
with the paragraph where the second pair begins picked, and saves a grab of the dialog.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.gui.shots import own_settings, shoot, styled_application


def main(out: Path) -> None:
    tmp = own_settings()
    from annotator.gui.app import make_window
    from tests.helpers import CORPUS, new_project, wrongly_split_source

    db = new_project(tmp / "project.db", [wrongly_split_source(CORPUS)])
    app = styled_application()
    window = make_window(db, "alice", restore=False)
    window.resize(1400, 900)
    window.show()

    def open_dialog() -> None:
        joined = next(i for i in window.item_list.model.ids if window.session.store.items.get(i)["seq"] == 4)
        window.show_item(joined)
        window.correct_import()
        dialog = window.corrector
        answer = window.session.item["answer"].split("\n\n")
        asked = next(n for n, p in enumerate(answer) if p.rstrip().endswith("?"))
        dialog.paragraphs.setCurrentRow(1 + asked)
        dialog.message.setText("S splits the item here: this paragraph opens a new pair")

    shoot(app, window, out, open_dialog, grab=lambda: window.corrector)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/corrections.png"))
