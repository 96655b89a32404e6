"""White space collapsed: every run of it one ASCII space, none at the ends.

Every paragraph an importer reads and every pair's text a copy is caught by
(``conferences.normalise_text``) goes through ``collapse``, most of it already
collapsed, so the common case is answered without splitting the text into words.
"""

from __future__ import annotations

# A character class of the scripts that put no space between words (Chinese, Japanese: their
# ideographs, kana, punctuation and full-width forms): a space between two is no word break
# (``conferences.normalise_text``), and a word in them is no token of the full-text index
# (``filters.search_terms``).
UNSPACED = "[\u3000-\u9fff\uff00-\uffef]"

# The ASCII characters ``str.split()`` takes for white space, but for the space itself.
_ASCII_BREAKS = ("\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


def collapse(text: str) -> str:
    """``" ".join(text.split())``, without the split when the text is already so."""
    if text.isascii():
        # One search for each character (each a memchr) costs a tenth of ``isprintable``,
        # which looks up every character's category.
        for c in _ASCII_BREAKS:
            if c in text:
                return " ".join(text.split())
    elif not text.isprintable():  # every white space character but the ASCII space is unprintable
        return " ".join(text.split())
    if "  " in text or text[:1] == " " or text[-1:] == " ":
        return " ".join(text.split())
    return text
