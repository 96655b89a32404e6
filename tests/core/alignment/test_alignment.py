"""The aligner's rules on small cases and on real pages changed by hand: the outlet table, the
anchors that carry across a translation, an exchange one version leaves out, a merge."""

from __future__ import annotations

from pathlib import Path

from annotator.core.alignment import align, anchors
from annotator.core.alignment.lexicon import outlet_key
from annotator.core.items import Item
from tests.core.alignment import truth


def _page(date: str) -> dict:
    return next(p for p in truth.load() if p["date"] == date)


def test_one_key_for_every_spelling_of_an_outlet():
    assert outlet_key("法新社记者") == outlet_key("AFP") == outlet_key("Agence France-Presse") == "AFP"
    assert outlet_key("路透社记者") == outlet_key("Reuters") == "Reuters"
    assert outlet_key("《环球时报》记者") == outlet_key("The Global Times") == "GlobalTimes"
    assert outlet_key("中央广播电视总台央视记者") == outlet_key("CCTV") == "CCTV"
    assert outlet_key("Unheard-of Gazette") is None and outlet_key(None) is None


def test_numbers_dates_and_names_read_the_same_in_both_languages():
    en = anchors.english("China's 35 billion deal signed on June 12 (Monday) with Japan; 210,000 tons",
                         frozenset({"g20"}))
    zh = anchors.chinese("6月12日（星期一），中方同日方签署了价值350亿美元的协议，21万吨，G20")
    assert {"n:3.5e+10", "d:6-12", "w:1", "k:Japan", "n:210000"} <= en & zh
    assert "l:g20" in zh and "l:g20" not in en  # the English never says G20
    # Small numbers are words as often as digits: left out; so is a month alone ("6月").
    assert not any(a in anchors.chinese("两国，3个问题，6月") for a in ("n:3", "n:6"))


def test_a_real_conference_aligns_one_to_one_with_full_confidence(corpus: Path):
    english, chinese = truth.pairs(corpus / "real", _page("2020-05-08"))
    found = align(english, chinese)
    assert [(k.english, k.chinese) for k in found.links] == [(i, i) for i in range(len(english))]
    assert all(0.9 < k.confidence <= 1.0 for k in found.links)


def test_an_exchange_one_version_leaves_out_stays_alone(corpus: Path):
    english, chinese = truth.pairs(corpus / "real", _page("2020-05-08"))
    shortened = chinese[:4] + chinese[5:]  # the Chinese without Reuters' question on warheads
    found = align(english, shortened)
    assert [i for i, _ in found.english_alone] == [4]
    expected = [(i, i) for i in range(4)] + [(i, i - 1) for i in range(5, len(english))]
    assert [(k.english, k.chinese) for k in found.links] == expected


def test_follow_ups_one_version_asks_apart_merge_into_one(corpus: Path):
    english, chinese = truth.pairs(corpus / "real", _page("2019-03-26"))
    found = align(english, chinese)
    merged = [(k.english, k.chinese) for k in found.links if k.chinese == 2]
    assert merged == [(2, 2), (3, 2), (4, 2)]  # "It was leaked to reporters." / "I don't know." are turns 3, 4


def test_nothing_to_align_is_an_empty_alignment():
    item = Item("qa", 0, "Any comment?", "No.", "AFP")
    assert align([], []).links == []
    alone = align([item], [])
    assert alone.links == [] and [i for i, _ in alone.english_alone] == [0]
