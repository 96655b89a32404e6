"""``spacing.collapse`` is ``" ".join(text.split())`` for every text, its shortcut included."""

from __future__ import annotations

import sys

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.spacing import collapse

# Every kind of white space str.split() knows, in ASCII and beyond, among ordinary characters.
_SPACES = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
_TEXT = st.text(st.sampled_from([*_SPACES, "a", "b", "中", "\u00ad", "\x00", "\u200b", "é"]), max_size=20)


@given(_TEXT)
def test_collapse_is_the_split_and_join(text: str) -> None:
    assert collapse(text) == " ".join(text.split())


@given(st.text(max_size=40))
def test_collapse_is_the_split_and_join_for_any_characters(text: str) -> None:
    assert collapse(text) == " ".join(text.split())


def test_a_collapsed_text_comes_back_as_it_is() -> None:
    text = "Wang Wenbin: China firmly opposes it."
    assert collapse(text) is text
    for spaced in (" x", "x ", "a  b", "a\tb", "a\nb", "a\x1fb", "a\u3000b", "a\u00a0b"):
        assert collapse(spaced) != spaced
