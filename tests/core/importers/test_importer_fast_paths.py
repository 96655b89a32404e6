"""The importer's shortcuts (one label pass per file, remembered label checks, the
long-paragraph path through the furniture filter, paragraphs left as they are when
their spaces need no collapsing) give what the plain definitions give."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.importers import furniture, speakers, text
from annotator.core.importers.transcript import Header, Labels, build_items, classify, count_turns

LABELS = ["Reuters", "Reuters of", "Voice of", "Mr. Smith Jr.", "U.S. Embassy", "Times of", "Voice of America", "AFP", "Wang Wenbin", "First", "Note", "The Global Times", "MS. PSAKI",
          "Q", "A", "问", "答", "法新社记者", "毛宁", "Spokesperson Mao Ning", "Follow-up",
          "As of 24", "Dr. Smith", "China's position is clear", "THE PRESIDENT", "Step 2"]
BODIES = ["China opposes it.", "00 we met.", " ", "", "(Laughter.)", "we will see", "：好的"]


def _plain_paragraphs(corpus: Path) -> list[str]:
    out: list[str] = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix in (".txt", ".md"):
            out.extend(text.paragraphs(path.read_text(encoding="utf-8", errors="replace")))
    return out


def _old_name_label(paragraph: str) -> tuple[str, str] | None:
    # name_label as first written, every check made afresh on each call.
    if not speakers._MAYBE_LABEL.match(paragraph):
        return None
    m = speakers._NAME_LABEL.match(paragraph)
    if m:
        label = m.group("label")
        words = label.split(" ")
        if (
            len(label) <= 45
            and label.casefold() not in speakers._NOT_LABELS
            and words[0].casefold() not in speakers._NOT_LABELS
            and words[-1] not in speakers._CONNECTIVES
            and ("." not in label or not re.search(r"\.(?: |$)", label))
        ):
            return label, paragraph[m.end():].strip()
        return None
    m = speakers._KNOWN_NAME_LABEL.match(paragraph)
    if m and m.group("label").casefold() in speakers.KNOWN_SPOKESPERSONS:
        return m.group("label"), paragraph[m.end():].strip()
    return None


def _old_drop_furniture(paragraphs: list[str]) -> list[str]:
    # The filter as first written: drop single pieces, then navigation runs.
    kept = [p for p in paragraphs if not furniture.is_furniture(p)]
    out: list[str] = []
    run: list[str] = []
    for p in kept:
        if furniture._is_short(p):
            run.append(p)
            continue
        if len(run) < furniture._NAV_RUN:
            out.extend(run)
        run = []
        out.append(p)
    if len(run) < furniture._NAV_RUN:
        out.extend(run)
    return out


def test_label_of_agrees_with_match_rule_and_name_label_on_the_corpus(corpus: Path) -> None:
    paragraphs = _plain_paragraphs(corpus)
    assert len(paragraphs) > 1000
    for p in paragraphs:
        turn = speakers.match_rule(p)
        assert speakers.name_label(p) == _old_name_label(p), p[:80]
        assert speakers.label_of(p) == (turn, None if turn else speakers.name_label(p)), p[:80]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LABELS), st.sampled_from([":", "：", " :", ": "]),
                          st.sampled_from(BODIES)), min_size=1, max_size=12))
def test_remembered_labels_give_the_same_items(parts: list[tuple[str, str, str]]) -> None:
    paragraphs = [f"{label}{colon}{body}" for label, colon, body in parts]
    # Twice through name_label: the second answer comes from the memo.
    first = [speakers.name_label(p) for p in paragraphs]
    assert first == [_old_name_label(p) for p in paragraphs]
    assert [speakers.name_label(p) for p in paragraphs] == first
    labels = Labels()
    assert count_turns(paragraphs, labels) == count_turns(paragraphs)
    assert classify(paragraphs, set(), labels) == classify(paragraphs, set())
    header = Header(title="Press conference", spokesperson="Wang Wenbin")
    assert build_items(paragraphs, header, labels=labels) == build_items(paragraphs, header)


def test_one_pass_furniture_filter_matches_the_two_pass_one(corpus: Path) -> None:
    paragraphs = _plain_paragraphs(corpus)
    assert furniture.drop_furniture(paragraphs) == _old_drop_furniture(paragraphs)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "Share", "Print", "News", "Biz", "In Focus", "Opinion", "English 中文", "© 2024 Xinhua",
    "  " + "x" * 259, "x" * 259 + " ", "y" * 300, " ", "", "Copyright " + "z" * 300,
    "© " + "z" * 210, "All rights reserved " + "q" * 238, " " + "c" * 20 + " " * 250,
    "Wang Wenbin: we oppose it.", "Reuters: " + "w " * 140,
]), max_size=20))
def test_furniture_filter_on_mixed_paragraphs(paragraphs: list[str]) -> None:
    assert furniture.drop_furniture(paragraphs) == _old_drop_furniture(paragraphs)


def test_every_whitespace_character_is_collapsed_by_the_shortcut_or_the_split() -> None:
    # The shortcut leaves a paragraph alone only if str.split() would change nothing.
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        for sample in (f"a{chr(code)}b", f"{chr(code)}a", f"a{chr(code)}"):
            assert text._clean(sample) == " ".join(sample.split()), hex(code)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "b", " ", "\t", "\n", "\u00a0", "\u3000", "\u2028", "\\", "[", "."]),
               max_size=30))
def test_cleaning_collapses_whitespace_like_split_and_join(sample: str) -> None:
    unescaped = re.sub(r"\\([\[\]\\`*_{}()#+\-.!])", r"\1", sample)
    assert text._clean(sample) == " ".join(unescaped.split())
