"""Bytes to text: the one place that decides a file's encoding.

Transcripts arrive as UTF-8 (with or without a byte-order mark) or, from some
Windows tools, UTF-16 with a BOM. Anything else is refused with a message that
names the file, rather than guessed at: a wrong guess would put mojibake in
front of coders and into the training data.
"""

from __future__ import annotations

import codecs

from annotator.core.errors import AnnotatorError

# How far into a file to look for NUL bytes: binaries show them early, and
# reading the whole of a 50 MB file twice would be wasted work.
_SNIFF = 8192


def decode(data: bytes, name: str) -> str:
    """Return the text of ``data`` or raise AnnotatorError naming ``name``."""
    if not data.strip():
        raise AnnotatorError(f"{name}: the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # The "utf-16" codec reads the BOM itself and picks the byte order.
        return _strict(data, "utf-16", name)
    if b"\x00" in data[:_SNIFF]:
        raise AnnotatorError(f"{name}: looks like a binary file, not text (it holds NUL bytes)")
    return _strict(data, "utf-8", name)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise AnnotatorError(
            f"{name}: is not valid {encoding.upper()} text (byte {exc.start}); "
            "save it as UTF-8 and import it again"
        ) from None
    if not text.strip():
        raise AnnotatorError(f"{name}: the file is empty")
    return text
