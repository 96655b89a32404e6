"""Take the README's screenshot of the pair in the other language (Ctrl+T).

    xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python tests/gui/screenshot_other_language.py docs/other-language.png

Imports the English and Chinese pages of one real press conference (2 June 2020) as a lead
would, opens the window on an English pair with the Chinese one shown under it, and saves a
grab of the window.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.gui.shots import own_settings, shoot, size_of, styled_application


def main(out: Path, size: tuple[int, int] = (1366, 768)) -> None:
    tmp = own_settings()
    from annotator.gui import settings as gs
    from annotator.gui.app import make_window
    from tests.helpers import CORPUS, bilingual_project

    db = bilingual_project(tmp / "project.db", CORPUS, dates=("2020-06-02",))
    app = styled_application()
    gs.save_look(gs.Look(other_language=True))
    window = make_window(db, "alice", restore=False)
    window.resize(*size)
    window.show()
    window.fit_panes(size[0])

    def pick() -> None:
        item_id, = window.session.store.connection.execute(
            "SELECT id FROM items WHERE question LIKE 'Yesterday Cuba rejected%'").fetchone()
        window.show_item(item_id)
        window.toggle("topics", "us_relations")
        window.toggle("tone", "firm")

    shoot(app, window, out, pick)


if __name__ == "__main__":
    args = sys.argv[1:]
    main(Path(args[0] if args else "docs/other-language.png"), size_of(args[1] if len(args) > 1 else None))
