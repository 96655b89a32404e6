"""Encodings: what a page declares (or, undeclared, what its bytes are) is used; a file that
is neither its declared encoding nor UTF-8 is one clear line. decode.py decides, nowhere else."""

from __future__ import annotations

import re

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.importers import parse_file

PAGE = "real/mfa-zh-more/2020-04-23_t1772736.html"  # 《澳大利亚人报》记者 and others
_CHARSET = re.compile(r"charset=\"?utf-8\"?", re.IGNORECASE)

TRADITIONAL = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5">
<title>2020年4月23日外交部發言人耿爽主持例行記者會</title></head><body><div id="News_Body_Txt_A">
<p>問：請問中方對此有何評論？</p>
<p>答：我們注意到有關報導。中國政府一貫主張通過對話協商和平解決爭端，反對任何形式的單邊制裁。</p>
<p>問：據報導，美國國務院宣布將對台灣出售武器。中方將採取什麼反制措施？</p>
<p>答：中方堅決反對美國對台售武，已向美方提出嚴正交涉。</p>
</div></body></html>"""


def _pairs(source):
    return [(i.kind, i.outlet, i.spokesperson, i.date, i.question, i.answer) for i in source.items]


@pytest.mark.parametrize("charset", ["gbk", "GB2312", "gb18030"])
def test_a_page_declaring_a_chinese_encoding_reads_as_its_utf8_original(corpus, tmp_path, charset):
    original = corpus / PAGE
    html = _CHARSET.sub(f'charset="{charset}"', original.read_text(encoding="utf-8"))
    assert f'charset="{charset}"' in html
    path = tmp_path / "page.html"
    # A real GBK page writes what GBK lacks ("Français" in its menu) as character references.
    path.write_bytes(html.encode(charset, errors="xmlcharrefreplace"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    source = parse_file(path)
    assert _pairs(source) == _pairs(parse_file(original))
    assert not source.warnings and len([i for i in source.items if i.kind == "qa"]) > 10


def test_a_big5_page_is_read(tmp_path):
    path = tmp_path / "big5.html"
    path.write_bytes(TRADITIONAL.encode("big5"))
    source = parse_file(path)
    assert source.date == "2020-04-23"
    assert [(i.question[:6], i.answer[:6], i.spokesperson) for i in source.items] == [
        ("請問中方對此", "我們注意到有", "耿爽"), ("據報導，美國", "中方堅決反對", "耿爽")]


def test_an_undeclared_chinese_encoding_is_detected_and_said(tmp_path):
    text = TRADITIONAL.replace("big5", "").replace("charset=", "")
    path = tmp_path / "undeclared.html"
    path.write_bytes(text.encode("big5"))
    source = parse_file(path)
    assert source.items[0].answer.startswith("我們注意到有關報導。")
    assert source.warnings == ["undeclared.html: no encoding declared and not UTF-8; read as BIG5HKSCS, "
                               "the encoding its bytes match (check the text)"]


def test_a_valid_utf8_page_is_utf8_whatever_it_declares(corpus, tmp_path):
    # Saved from a browser: the bytes are UTF-8 now, the <meta> still says gbk.
    original = corpus / PAGE
    path = tmp_path / "saved.html"
    path.write_text(_CHARSET.sub('charset="gbk"', original.read_text(encoding="utf-8")), encoding="utf-8")
    assert _pairs(parse_file(path)) == _pairs(parse_file(original))


@pytest.mark.parametrize("content,message", [
    (b'<html><meta charset="gbk"><body><p>\x81\x20\xff\xfe Q: x</p></body></html>',
     r"^bad.html: declares charset gbk but is neither GBK text \(byte 35\) nor UTF-8; save it as UTF-8"),
    (b'<html><meta charset="klingon-8"><body><p>\xff Q: x</p></body></html>',
     r"^bad.html: declares charset 'klingon-8', which is not an encoding this program knows"),
    (b"Q: caf\xe9?\n\nA: cr\xe8me.\n",
     r"^bad.html: is not valid UTF-8 text \(byte 6\) and declares no other encoding; save it as UTF-8"),
])
def test_a_file_that_is_neither_is_one_clear_line(tmp_path, content, message):
    path = tmp_path / "bad.html"
    path.write_bytes(content)
    with pytest.raises(AnnotatorError, match=message) as info:
        parse_file(path)
    assert "\n" not in str(info.value)
