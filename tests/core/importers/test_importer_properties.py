"""Property: no text lost or duplicated. Every non-furniture paragraph of a transcript
ends up in exactly one item, in order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.importers import parse_text

OUTLETS = ["Reuters", "AFP", "The Global Times", "China News Service", "Bloomberg", "NHK",
           "Xinhua News Agency", "People's Daily", "CCTV4", "Agence France-Presse"]
WORDS = ["china", "position", "is", "clear", "the", "us", "trade", "as", "of", "we", "oppose",
         "24:00", "talks", "will", "continue", "cooperation", "noted", "reports", "and"]
LEADS = ["China", "We", "The", "As", "On", "It", "This", "China's position", "According to"]


@st.composite
def paragraph(draw) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
    lead = draw(st.sampled_from(LEADS))
    colon = draw(st.integers(min_value=0, max_value=len(words)))
    # Colons inside answers ("China's position is clear: ...") must not open turns.
    if draw(st.booleans()):
        words = words[:colon] + [words[colon - 1] + ":"] + words[colon:] if colon else words
    return " ".join([lead, *words]) + draw(st.sampled_from([".", "?", "!"]))


@st.composite
def transcript(draw):
    pairs = draw(st.lists(st.tuples(
        st.sampled_from(OUTLETS),
        st.lists(paragraph(), min_size=1, max_size=2),
        st.lists(paragraph(), min_size=1, max_size=4),
    ), min_size=1, max_size=8))
    opening = draw(st.lists(paragraph(), max_size=3))
    return opening, pairs


def _render(opening, pairs, furniture: bool) -> str:
    lines = []
    if furniture:
        lines.append("عربي Español Русский Français 简体中文")
    lines.append("Foreign Ministry Spokesperson Wang Wenbin's Regular Press Conference on May 6, 2024")
    lines.extend(opening)
    for outlet, question, answer in pairs:
        lines.append(f"{outlet}: {question[0]}")
        lines.extend(question[1:])
        lines.append(f"Wang Wenbin: {answer[0]}")
        lines.extend(answer[1:])
    if furniture:
        lines.extend(["Suggest to a friend", "Print"])
    return "\n\n".join(lines)


@settings(max_examples=150, deadline=None)
@given(transcript(), st.booleans())
def test_every_paragraph_in_exactly_one_item(data, furniture):
    opening, pairs = data
    source = parse_text(_render(opening, pairs, furniture), "gen.txt")
    expected = list(opening)
    for _, question, answer in pairs:
        expected.extend(question)
        expected.extend(answer)
    got = []
    for item in source.items:
        for field in (item.question, item.answer):
            if field:
                got.extend(field.split("\n\n"))
    assert got == expected
    qa = [i for i in source.items if i.kind == "qa"]
    assert [i.outlet for i in qa] == [p[0] for p in pairs]
    assert all(i.spokesperson == "Wang Wenbin" and i.date == "2024-05-06" for i in source.items)
    assert all(i.kind == "statement" for i in source.items[: len(source.items) - len(qa)])
