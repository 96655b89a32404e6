"""Bytes to text: the one place that decides a file's encoding.

In this order:

1. a byte-order mark (UTF-8, or UTF-16 from some Windows tools) says it;
2. text that is valid UTF-8 is UTF-8 (a page saved from a browser often keeps
   the ``charset=gbk`` it was served with, yet is UTF-8 now);
3. an HTML or XML page's declared charset (``<meta charset="gbk">``,
   ``<?xml ... encoding="big5"?>``) is used; GBK and GB2312 are read as GB18030,
   which holds both, and Big5 as Big5-HKSCS, which holds Big5;
4. undeclared text long enough to tell is read in the East Asian encoding that
   charset-normalizer detects, and a warning says so.

Anything else is refused with one line that names the file, rather than guessed
at: a wrong guess would put mojibake in front of coders and into the training
data. Western single-byte encodings are never guessed (charset-normalizer tells
cp1252 from cp1250 no better than a coin on a short text).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from annotator.core.errors import AnnotatorError

# How far into a file to look for NUL bytes and a declared charset: binaries show
# them early, and reading the whole of a 50 MB file twice would be wasted work.
_SNIFF = 8192
_DECLARED = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*(?P<meta>[A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]{0,200}?encoding\s*=\s*["'](?P<xml>[A-Za-z0-9_.:-]+)""",
    re.IGNORECASE)
# Declared names read with the codec that holds them (a GBK page may use GB18030 characters).
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030",
          "gb_2312-80": "gb18030", "euc-cn": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs",
          "x-euc-tw": "big5hkscs"}
# What detection may answer: multi-byte encodings, whose byte patterns tell them apart.
_DETECTABLE = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs",
               "big5hkscs": "big5hkscs", "cp950": "big5hkscs", "shift_jis": "shift_jis",
               "cp932": "cp932", "euc_jp": "euc_jp", "euc_kr": "euc_kr", "cp949": "cp949"}
# Below this many non-ASCII bytes a detected encoding is a guess.
_DETECT_MIN_BYTES = 48


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the codec used, as Python names it
    warning: str | None = None  # set when the encoding was detected, not declared


def decode(data: bytes, name: str) -> Decoded:
    """The text of ``data``, or AnnotatorError naming ``name`` and the problem."""
    if not data.strip():
        raise AnnotatorError(f"{name}: the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_strict(data[len(codecs.BOM_UTF8):], "utf-8", name), "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # The "utf-16" codec reads the BOM itself and picks the byte order.
        return Decoded(_strict(data, "utf-16", name), "utf-16")
    if b"\x00" in data[:_SNIFF]:
        raise AnnotatorError(f"{name}: looks like a binary file, not text (it holds NUL bytes)")
    try:
        return Decoded(_nonempty(data.decode("utf-8"), name), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    declared = _declared(data)
    if declared is not None:
        codec = _codec(declared)
        if codec is None:
            raise AnnotatorError(f"{name}: declares charset {declared!r}, which is not an encoding "
                                 "this program knows; save it as UTF-8 and import it again")
        try:
            return Decoded(_nonempty(data.decode(codec), name), codec)
        except UnicodeDecodeError as exc:
            raise AnnotatorError(
                f"{name}: declares charset {declared} but is neither {declared.upper()} text "
                f"(byte {exc.start}) nor UTF-8; save it as UTF-8 and import it again") from None
    detected = _detect(data)
    if detected is not None:
        text, codec = detected
        return Decoded(_nonempty(text, name), codec,
                       f"{name}: no encoding declared and not UTF-8; read as {codec.upper()}, "
                       "the encoding its bytes match (check the text)")
    raise AnnotatorError(
        f"{name}: is not valid UTF-8 text (byte {utf8_error.start}) and declares no other encoding; "
        "save it as UTF-8 and import it again")


def _declared(data: bytes) -> str | None:
    m = _DECLARED.search(data[:_SNIFF])
    if m is None:
        return None
    return (m.group("meta") or m.group("xml")).decode("ascii").lower()


def _codec(declared: str) -> str | None:
    wanted = _WIDER.get(declared, declared)
    try:
        return codecs.lookup(wanted).name
    except LookupError:
        return None


def _detect(data: bytes) -> tuple[str, str] | None:
    if sum(1 for b in data[:65536] if b >= 0x80) < _DETECT_MIN_BYTES:
        return None
    from charset_normalizer import from_bytes  # only here: most files never need it

    match = from_bytes(data).best()
    if match is None:
        return None
    codec = _DETECTABLE.get(match.encoding.replace("-", "_").lower())
    if codec is None:
        return None
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        return None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise AnnotatorError(
            f"{name}: is not valid {encoding.upper()} text (byte {exc.start}); "
            "save it as UTF-8 and import it again"
        ) from None
    return _nonempty(text, name)


def _nonempty(text: str, name: str) -> str:
    if not text.strip():
        raise AnnotatorError(f"{name}: the file is empty")
    return text
