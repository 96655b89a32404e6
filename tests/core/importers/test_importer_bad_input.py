"""Files the importer must refuse, or read with a warning, each with a clear message."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.importers import parse_file, parse_text

TRANSCRIPT = (
    "Foreign Ministry Spokesperson Mao Ning's Regular Press Conference on May 6, 2024\n\n"
    "Reuters: Any comment?\n\nMao Ning: None.\n\nChina's position is clear: no.\n"
)


def test_empty_file(tmp_path: Path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n")
    with pytest.raises(AnnotatorError, match="empty.txt: the file is empty"):
        parse_file(path)


def test_binary_file(tmp_path: Path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(AnnotatorError, match="photo.txt: looks like a binary file"):
        parse_file(path)


def test_other_encoding(tmp_path: Path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("问：你好？\n\n答：好。".encode("gbk"))
    with pytest.raises(AnnotatorError, match="gbk.txt: is not valid UTF-8 text"):
        parse_file(path)


@pytest.mark.parametrize("encoding,bom", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf8_and_utf16_are_read(tmp_path: Path, encoding: str, bom: bytes):
    path = tmp_path / "t.txt"
    path.write_bytes(bom + TRANSCRIPT.encode(encoding))
    source = parse_file(path)
    [item] = source.items
    assert (item.outlet, item.spokesperson, item.date) == ("Reuters", "Mao Ning", "2024-05-06")
    assert item.answer == "None.\n\nChina's position is clear: no."


def test_no_recognisable_turns():
    with pytest.raises(AnnotatorError, match="notes.txt: no recognisable turns"):
        parse_text("Shopping list\n\nMilk and bread.\n\nCall the plumber.", "notes.txt")


def test_truncated_html_page(corpus):
    page = corpus / "real" / "mfa-en" / "2018-05-11_presser_t1558711.html"
    text = page.read_text(encoding="utf-8")
    cut = text[: text.index("Q: According to reports, Iranian")]
    source = parse_text(cut, "cut.html")
    assert any("truncated" in w for w in source.warnings)
    assert 5 <= len([i for i in source.items if i.kind == "qa"]) < 10


def test_title_without_year_and_no_other_date_warns():
    text = ("Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference on September 21\n\n"
            "Q: Any comment?\n\nA: No.\n")
    source = parse_text(text, "noyear.txt")
    assert source.date is None and source.items[0].date is None
    assert any("no year" in w and "date unknown" in w for w in source.warnings)


def test_title_without_year_takes_it_from_the_page():
    text = ("Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference on September 14\n\n"
            "Q: Any comment on what was said on September 7, 2018?\n\nA: No.\n")
    source = parse_text(text, "year.txt")
    assert source.date == "2018-09-14"
    assert any("2018 taken from other dates" in w for w in source.warnings)


def test_overrides_fill_only_what_the_file_lacks():
    text = "Q: Any comment?\n\nA: No.\n\nQ: And?\n\nA: Nothing.\n"
    source = parse_text(text, "bare.txt", spokesperson="Mao Ning", date="2024-01-02", outlet="AFP")
    assert {(i.spokesperson, i.date, i.outlet) for i in source.items} == {("Mao Ning", "2024-01-02", "AFP")}
    titled = parse_text(TRANSCRIPT, "titled.txt", spokesperson="Someone", date="1999-01-01")
    assert titled.items[0].spokesperson == "Mao Ning" and titled.items[0].date == "2024-05-06"


def test_bad_format_and_bad_date():
    with pytest.raises(AnnotatorError, match="unknown format"):
        parse_text(TRANSCRIPT, "t.txt", fmt="pdf")
    with pytest.raises(AnnotatorError, match="is not a date"):
        parse_text(TRANSCRIPT, "t.txt", date="May 6")


def test_large_file_is_linear(tmp_path: Path):
    pair = ("Reuters: Could you comment on the report about trade and tariffs today?\n\n"
            "Wang Wenbin: China's position is consistent and clear. We oppose it.\n\n"
            "Our position: unchanged.\n\n")
    small = "Foreign Ministry Spokesperson Wang Wenbin's Regular Press Conference on May 6, 2024\n\n" + pair * 2000
    big = "Foreign Ministry Spokesperson Wang Wenbin's Regular Press Conference on May 6, 2024\n\n" + pair * 40000
    start = time.perf_counter()
    assert len(parse_text(small, "small.txt").items) == 2000
    t_small = time.perf_counter() - start
    start = time.perf_counter()
    source = parse_text(big, "big.txt")
    t_big = time.perf_counter() - start
    assert len(source.items) == 40000
    # Twenty times the text must not cost anywhere near four hundred times the time.
    assert t_big < max(1.0, t_small) * 60
