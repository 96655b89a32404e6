"""The reliability report of a three-coder study, and its screenshot:
`python tests/gui/screenshot_report.py OUT.png [OUT.md]`.

The project is real transcripts of the shared corpus, coded by three coders over eight weeks
(``tests/helpers.code_three``, through the store), unanimous values accepted as gold, some
disagreements settled in review and some by hand -- the multi-coder flow of the README.
``annotator report`` writes the HTML (and the Markdown table, if asked); headless Chromium
(Debian's ``chromium-headless-shell``) draws the page into the PNG.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main(out: Path, table: Path | None) -> None:
    from click.testing import CliRunner

    from annotator.cli import cli
    from annotator.core.review import accept_unanimous, disagreements
    from annotator.core.store import Store
    from tests.helpers import CORPUS, code_three, new_project, real_sources

    folder = Path(tempfile.mkdtemp())
    db = new_project(folder / "project.db", real_sources(CORPUS, 16, every=4))
    with Store(db) as store:
        code_three(store, weeks=8, overlap=0.6, accuracy=0.9)
        accept_unanimous(store, "lead")
        for n, d in enumerate(disagreements(store)[:40]):
            if n % 4:
                store.gold.set(d.item_id, d.scheme, d.values["alice"], "lead", method="coder", taken_from="alice")
            else:
                store.gold.set(d.item_id, d.scheme, d.values["bob"], "lead", method="hand")
    html = folder / "reliability.html"
    for target in [html] + ([table] if table else []):
        result = CliRunner().invoke(cli, ["report", str(db), "-o", str(target)])
        if result.exit_code:
            raise SystemExit(result.output)
    browser = shutil.which("chromium-headless-shell") or shutil.which("chromium")
    if browser is None:
        raise SystemExit("no Chromium: apt-get install chromium-headless-shell")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=1100,1900", f"--screenshot={out.resolve()}", html.as_uri()],
                   check=True, capture_output=True, timeout=120)
    shutil.copy(html, out.with_suffix(".html"))
    print(f"{out}: the report of {db} ({html.stat().st_size:,} bytes of HTML)")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
