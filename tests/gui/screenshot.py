"""Take the README's screenshots: the coding window on the sample project.

    xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python tests/gui/screenshot.py docs/screenshot.png
    xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python tests/gui/screenshot.py docs/coding-1024-dark.png 1024x768 dark
    xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python tests/gui/screenshot.py docs/coding-1366-doubled.png 1366x768 doubled

Builds the sample project from resources/samples in a temporary folder (``doubled``: with
the codebook twice the bundled one, tests/helpers.py's ``doubled_codebook``), labels
the first pair a little (as a coder would have), and saves a grab of the window.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.gui.shots import own_settings, shoot, size_of, styled_application


def main(out: Path, size: tuple[int, int] = (1366, 768), dark: bool = False, doubled: bool = False) -> None:
    tmp = own_settings()
    from annotator.core.sample import ensure_sample_project
    from annotator.gui import settings as gs
    from annotator.gui.app import make_window

    db = ensure_sample_project(tmp / "sample.db")
    if doubled:
        from annotator.core.store import Store
        from tests.helpers import doubled_codebook

        with Store(db) as store:
            store.set_codebook(doubled_codebook(store.codebook()))
    app = styled_application()
    gs.save_look(gs.Look(dark=dark))
    window = make_window(db, "alice", restore=False)
    window.resize(*size)
    window.show()
    window.fit_panes(size[0])

    def code() -> None:
        # The AFP question on Taiwan lawmakers' visit, coded as a coder would code it.
        ids = window.item_list.model.ids
        afp = next(i for i in ids if "Taipei" in window.session.store.items.get(i)["question"])
        window.show_item(afp)
        chosen = [("topics", "taiwan"), ("topics", "us_relations"), ("tone", "confrontational"),
                  ("question_stance", "neutral"), ("rhetoric", "threat"), ("rhetoric", "representations"),
                  ("rhetoric", "urging")]
        if doubled:
            chosen += [("more_topics", "security_military"), ("more_rhetoric", "protest")]
        for scheme, option in chosen:
            window.toggle(scheme, option)

    shoot(app, window, out, code)


if __name__ == "__main__":
    args = sys.argv[1:]
    main(Path(args[0] if args else "docs/screenshot.png"), size_of(args[1] if len(args) > 1 else None),
         dark="dark" in args[2:], doubled="doubled" in args[2:])
