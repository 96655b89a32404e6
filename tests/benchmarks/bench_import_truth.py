"""import_truth_{precision,recall}_{en,zh}: the importer's question-answer pairs on the pages
of the hand-made truth (tests/core/importers/import_truth.json), per language.

Baseline, same pages, same run: a plain splitter that opens a pair at every paragraph of
the page's article starting with a question label ("Q:", "问：", "Reuters:", "法新社记者：")
and takes what follows as the answer. Issue 13's goal is 0.99 for both figures in both
languages; ``ratio`` is value / baseline.

Plain script: ``python tests/benchmarks/bench_import_truth.py`` prints one JSON line per figure.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bs4 import BeautifulSoup  # noqa: E402

from annotator.core.importers import parse_file  # noqa: E402
from annotator.core.items import Item  # noqa: E402
from tests.core.importers import truth  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus" / "real"
_QUESTION = re.compile(r"^(?:Q|问|[^\s:：，。]{1,20}记者|(?!A\b)[A-Z][\w .&'-]{1,40})\s*[:：]\s*")
_ANSWER = re.compile(r"^(?:A|答|[A-Z][a-z]+ [A-Z][a-z]+|[\u4e00-\u9fff]{2,3})\s*[:：]\s*")


def plain_split(path: Path) -> list[Item]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    body = soup.select_one("#News_Body_Txt_A") or soup.select_one("div.content")
    items: list[Item] = []
    for p in body.find_all("p"):
        text = " ".join(p.get_text(" ").split())
        m = _QUESTION.match(text)
        if m and not _ANSWER.match(text):
            items.append(Item("qa", len(items), question=text[m.end():]))
        elif items:
            a = _ANSWER.match(text)
            items[-1].answer += ("\n\n" if items[-1].answer else "") + (text[a.end():] if a else text)
    return items


def main() -> None:
    ours = {"en": truth.Score(), "zh": truth.Score()}
    base = {"en": truth.Score(), "zh": truth.Score()}
    for page in truth.load():
        path = REAL / page["file"]
        source = parse_file(path)
        truth.score_page(page, source.items, source.date, ours[page["lang"]])
        truth.score_page(page, plain_split(path), None, base[page["lang"]])
    for lang in ("en", "zh"):
        for figure in ("precision", "recall"):
            value, baseline = getattr(ours[lang], figure), getattr(base[lang], figure)
            print(json.dumps({"name": f"import_truth_{figure}_{lang}", "value": round(value, 4), "unit": "ratio",
                              "baseline": round(baseline, 4), "ratio": round(value / baseline, 3) if baseline else None}))


if __name__ == "__main__":
    main()
