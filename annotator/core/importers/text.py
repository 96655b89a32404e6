"""Plain text and Markdown -> paragraphs; YAML front matter -> a dict.

Paragraphs are separated by blank lines. Inside a block, lines are joined into
one paragraph when the text is hard-wrapped (Markdown sources, or lines of
similar length that all stop short of the block's end), except where a line
opens a speaker's turn; otherwise each line is a paragraph of its own, as in
news text pasted one paragraph per line. Linear in the size of the text.
"""

from __future__ import annotations

import re

from annotator.core.importers.speakers import is_wh_label_line
from annotator.core.spacing import collapse

_BLANK = re.compile(r"\n[ \t\u00a0\u3000]*\n")
_SPACE = re.compile(r"\s+")
_FRONT = re.compile(r"\A\ufeff?---[ \t]*\n(?P<body>.*?)\n---[ \t]*\n", re.DOTALL)
_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)$")
# Hard-wrapped text: lines broken near a fixed width.
_WRAP_MIN, _WRAP_MAX = 40, 100


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """(fields, rest) for text that opens with a ``---`` block of ``key: value`` lines."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    fields: dict[str, str] = {}
    lines = m.group("body").splitlines()
    i = 0
    while i < len(lines):
        km = _KEY.match(lines[i].strip())
        i += 1
        if not km:
            continue
        value = km.group("value").strip()
        quote = value[:1] if value[:1] in "'\"" else ""
        # A quoted value may run over several lines until its closing quote.
        while quote and (len(value) < 2 or not value.endswith(quote)) and i < len(lines):
            value = (value[:-1] if value.endswith("\\") else value + " ") + lines[i].strip()
            i += 1
        if quote and len(value) >= 2 and value.endswith(quote):
            value = value[1:-1]
        fields[km.group("key")] = _unescape(value)
    return fields, text[m.end():]


def _unescape(value: str) -> str:
    # YAML double-quoted escapes that occur in saved pages: "\_" (no-break space), "\u2060".
    value = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), value)
    value = value.replace("\\_", " ").replace("\\ ", " ").replace("\u2060", "").replace("\u00a0", " ")
    return _SPACE.sub(" ", value).strip()


def _hard_wrapped(lines: list[str]) -> bool:
    body = [len(line.rstrip()) for line in lines[:-1]]
    return bool(body) and all(_WRAP_MIN <= n <= _WRAP_MAX for n in body)


def paragraphs(text: str, markdown: bool = False) -> list[str]:
    """Paragraphs of ``text``, whitespace collapsed, empty ones dropped."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    for block in _BLANK.split(text):
        if "\n" not in block:  # the common case: one line, one paragraph
            out.append(_clean(block))
            continue
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if markdown or _hard_wrapped(lines):
            current: list[str] = []
            for line in lines:
                if current and is_wh_label_line(_SPACE.sub(" ", line).strip()):
                    out.append(_clean(" ".join(current)))
                    current = []
                current.append(line)
            out.append(_clean(" ".join(current)))
        else:
            out.extend(_clean(line) for line in lines)
    return [p for p in out if p]


def _clean(text: str) -> str:
    # Markdown escapes ("\[senior administration official\]") are not part of what was said.
    if "\\" in text:
        text = re.sub(r"\\([\[\]\\`*_{}()#+\-.!])", r"\1", text)
    # str.split() knows every Unicode space (no-break, ideographic); most paragraphs need nothing.
    return collapse(text)
