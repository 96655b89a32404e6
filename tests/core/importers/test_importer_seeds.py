"""The five seed documents the product was designed from."""

from __future__ import annotations

from annotator.core.importers import parse_file

SEED_004_OUTLETS = [
    "Xinhua News Agency", "Reuters", "RTHK", "MASTV", "Bloomberg", "Hubei Media Group",
    "Associated Press", "Kyodo News", "PTI", "People’s Daily", "Bloomberg", "RTHK",
    "China News Service", "Dragon TV", "The Global Times", "Bloomberg",
]
FURNITURE_004 = ("عربي", "Español", "Suggest to a friend", "简体中文")


def _all_text(source) -> str:
    return "\n".join(f"{i.question}\n{i.answer}\n{i.outlet}\n{i.spokesperson}" for i in source.items)


def test_seed_004_gives_its_sixteen_pairs(seed):
    source = parse_file(seed("004"))
    assert [i.kind for i in source.items] == ["qa"] * 16
    assert [i.outlet for i in source.items] == SEED_004_OUTLETS
    assert {i.spokesperson for i in source.items} == {"Wang Wenbin"}
    assert {i.date for i in source.items} == {"2021-12-09"}
    assert source.date == "2021-12-09"
    assert [i.seq for i in source.items] == list(range(16))
    text = _all_text(source)
    for furniture in FURNITURE_004:
        assert furniture not in text
    assert "Regular Press Conference on December 9" not in text


def test_seed_004_answers_keep_all_paragraphs_in_order(seed):
    first = parse_file(seed("004")).items[0]
    paragraphs = first.answer.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("The relevant report proves once again")
    assert paragraphs[2].endswith("wide opposition in the international community.")
    assert first.question.startswith("It is reported that the US is seeking consensus")
    assert "Wang Wenbin:" not in first.answer


def test_seed_000_holds_several_reports(seed):
    source = parse_file(seed("000"))
    assert source.kind == "report"
    assert all(i.kind == "reported" for i in source.items)
    speakers = [i.spokesperson for i in source.items]
    assert speakers.count("Guo Jiakun") >= 3
    assert "Mao Ning" in speakers and "Hu Zhaoming" in speakers
    mao = next(i for i in source.items if i.spokesperson == "Mao Ning")
    assert mao.question.startswith("In response to a question about China's disaster relief")
    assert "first time China has urgently dispatched" in mao.answer
    text = _all_text(source)
    # Paragraphs about other people are attributed to no spokesperson.
    for other in ("Lü Xiang", "Hu Ming", "Xi made the remarks", "Dai Bing", "Nvidia blasted"):
        assert other not in text


def test_seed_001_uses_the_date_line_and_the_full_name(seed):
    source = parse_file(seed("001"))
    assert source.date == "2025-01-14"
    [item] = source.items
    assert item.spokesperson == "Guo Jiakun"
    assert item.date == "2025-01-14"
    assert item.answer.count("\n\n") >= 4  # "Guo stated", "He remarked", ... all kept
    assert "Namibia Press Agency" not in item.answer


def test_seed_002_two_ministries(seed):
    source = parse_file(seed("002"))
    first, second = source.items
    assert first.spokesperson == "Guo Jiakun"
    assert first.question.startswith("Asked to comment on the US' move")
    assert "further noted" in first.answer
    assert second.spokesperson == "MOFCOM spokesperson"
    assert not any("Bao Jianyun" in i.answer or "Zhou Mi" in i.answer for i in source.items)


def test_seed_003_furniture_nowhere(seed):
    source = parse_file(seed("003"))
    assert source.date == "2025-01-14"
    assert source.items and all(i.kind == "reported" for i in source.items)
    assert {i.spokesperson for i in source.items} == {"Ministry of Commerce spokesperson"}
    text = _all_text(source)
    for furniture in ("Biz / Economy", "Copyright", "沪ICP", "Privacy Policy", "EXPLORE SHINE",
                      "Editor: Wang Qingchu", "Wellness", "breaking news", "UTC+8"):
        assert furniture not in text
