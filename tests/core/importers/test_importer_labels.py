"""What counts as a speaker label, and names."""

from __future__ import annotations

import pytest

from annotator.core.importers import parse_text, speakers
from annotator.core.names import normalise_name


@pytest.mark.parametrize("paragraph", [
    "As of 24:00 February 5, a total of 1,153 cured cases.",
    "China's position is clear: we oppose it.",
    "A word of advice to those in the US: stop.",
    "First: we oppose it.",
    "首先向大家通报一组数字：截至2月9日24时。",
    "我们再次敦促美方：停止纵容暴力违法分子。",
])
def test_not_labels(paragraph):
    assert speakers.match_rule(paragraph) is None
    assert speakers.name_label(paragraph) is None


@pytest.mark.parametrize("paragraph,role,label", [
    ("Q: Any comment?", "question", None),
    ("A: No.", "answer", None),
    ("Follow-up: And?", "follow_up", None),
    ("Spokesperson Mao Ning: Yes.", "answer", "Mao Ning"),
    ("问：有何评论？", "question", None),
    ("答：没有。", "answer", None),
    ("追问：还有吗？", "follow_up", None),
    ("法新社记者：有何评论？", "question", "法新社记者"),
    ("MS. PSAKI: Hi, everyone.", "answer", "MS. PSAKI"),
    ("SENIOR ADMINISTRATION OFFICIAL: Thanks.", "answer", "SENIOR ADMINISTRATION OFFICIAL"),
    ("Q Thanks, Jen.", "question", None),
    ("Question raised after the press conference: Media reports say", "question", None),
])
def test_explicit_rules(paragraph, role, label):
    turn = speakers.match_rule(paragraph)
    assert turn is not None and (turn.role, turn.label) == (role, label)


def test_chinese_transcript_with_change_of_spokesperson():
    text = ("2020年2月24日外交部发言人赵立坚主持例行记者会\n\n"
            "华春莹：大家好。\n\n赵立坚：谢谢。\n\n"
            "法新社记者：有何评论？\n\n赵立坚：我们的立场是明确的：反对。\n\n另一段。\n\n"
            "追问：还有吗？\n\n赵立坚：没有。\n")
    source = parse_text(text, "zh.txt")
    assert source.date == "2020-02-24"
    kinds = [(i.kind, i.spokesperson, i.outlet, i.follow_up_of) for i in source.items]
    assert kinds == [("statement", "华春莹", None, None), ("statement", "赵立坚", None, None),
                     ("qa", "赵立坚", "法新社记者", None), ("qa", "赵立坚", "法新社记者", 2)]  # the same reporter follows up
    assert source.items[2].answer == "我们的立场是明确的：反对。\n\n另一段。"


def test_a_state_department_briefing_asks_with_question_in_capitals():
    # "QUESTION:" is the State Department's reporter label; it was read as an outlet named QUESTION
    text = ("Department Press Briefing – March 4, 2024\n\n"
            "MR MILLER: Good afternoon, everyone. I have two things at the top.\n\n"
            "QUESTION: Thank you, Matt. On Gaza, have the talks stalled?\n\n"
            "MR MILLER: I would not say they have stalled.\n\n"
            "QUESTION: Is there a deadline?\n\nMR MILLER: There is no deadline I would speak to.\n")
    source = parse_text(text, "state.txt")
    assert source.date == "2024-03-04"
    assert [(i.kind, i.outlet, i.spokesperson) for i in source.items] == [
        ("statement", None, "Mr Miller"), ("qa", None, "Mr Miller"), ("qa", None, "Mr Miller")]
    assert source.items[1].question == "Thank you, Matt. On Gaza, have the talks stalled?"


def test_a_pentagon_briefing_answers_under_abbreviated_ranks():
    # "MAJ. GEN. PAT RYDER:" / "GEN. RYDER:" were read as text (a dot then a space looked like a
    # sentence's end): the whole briefing was one statement's and unanswered questions
    text = ("Pentagon Press Secretary Air Force Maj. Gen. Pat Ryder Holds a Press Briefing, January 9, 2024\n\n"
            "MAJ. GEN. PAT RYDER: All right, good afternoon, everybody.\n\n"
            "Q: Thank you, General. When was the President told?\n\n"
            "GEN. RYDER: As we said, on Tuesday.\n\n"
            "Q: Why the delay?\n\nSEC. AUSTIN: I should have told him sooner.\n")
    source = parse_text(text, "dod.txt")
    assert [(i.kind, i.spokesperson) for i in source.items] == [
        ("statement", "Pat Ryder"), ("qa", "Pat Ryder"), ("qa", "Sec. Austin")]
    assert [i.answer for i in source.items] == ["All right, good afternoon, everybody.", "As we said, on Tuesday.",
                                                "I should have told him sooner."]


@pytest.mark.parametrize("text", [
    # Japan's foreign ministry: every question is "Reporter:"
    ("Press Conference by Foreign Minister KAMIKAWA Yoko, Tuesday, March 5, 2024\n\nOpening Remarks\n\n"
     "Minister Kamikawa: I will be visiting the United States.\n\nQuestion and Answer Session\n\n"
     "Reporter: I am Nakamura from NHK. What are your aims?\n\nMinister Kamikawa: Close cooperation.\n\n"
     "Reporter: I am Smith from Reuters. On China?\n\nMinister Kamikawa: We will continue dialogue.\n"),
    # a Chinese briefing that asks with "记者：" alone
    ("2024年3月5日商务部例行新闻发布会\n\n发言人束珏婷：下面我通报一项情况。\n\n"
     "记者：请介绍一下有关情况。\n\n发言人束珏婷：好的。\n\n记者：还有什么新的措施？\n\n发言人束珏婷：我们将适时公布。\n"),
])
def test_where_the_journalists_label_asks_every_question_none_is_a_follow_up(text):
    # On the Chinese ministry's pages "Journalist:"/"记者：" speaks up inside an exchange; on a page
    # with no other way of asking it asked each question, and each was made a follow-up of the one before
    source = parse_text(text, "briefing.txt")
    assert source.date == "2024-03-05"  # the title's ("新闻发布会" is a briefing's title too)
    qa = [i for i in source.items if i.kind == "qa"]
    assert len(qa) == 2 and all(i.follow_up_of is None for i in qa)
    assert all(i.answer and i.spokesperson for i in qa)
    # the page's headings ("Opening Remarks", "Question and Answer Session") are no one's words
    [opening] = [i for i in source.items if i.kind == "statement"]
    assert opening.answer in ("I will be visiting the United States.", "下面我通报一项情况。")


@pytest.mark.parametrize("title", ["2024年3月5日商务部例行新闻发布会", "2024年3月5日商务部新闻发言人束珏婷主持例行新闻发布会"])
def test_a_spokesperson_the_tables_do_not_know_answers_by_her_chinese_name(title):
    # "束珏婷：" (no "发言人" before it) was text: the whole briefing one statement, every answer
    # under the question before it with her label in its text
    text = (f"{title}\n\n束珏婷：下面我通报一项情况。\n\n中国日报记者：请介绍一下有关情况。\n\n束珏婷：好的。\n\n"
            "路透社记者：还有什么新的措施？\n\n束珏婷：我们将适时公布。\n")
    source = parse_text(text, "mofcom.txt")
    assert [(i.kind, i.outlet, i.spokesperson, i.answer) for i in source.items] == [
        ("statement", None, "束珏婷", "下面我通报一项情况。"), ("qa", "中国日报记者", "束珏婷", "好的。"),
        ("qa", "路透社记者", "束珏婷", "我们将适时公布。")]


def test_a_short_chinese_lead_before_a_colon_is_text_where_someone_else_answers():
    text = ("2020年3月30日外交部发言人华春莹主持例行记者会\n\n问：中方有何评论？\n\n答：我们反对。\n\n"
            "我强调：中方立场是一贯的。\n\n问：还有吗？\n\n答：没有。\n\n我强调：这一点很重要。\n")
    source = parse_text(text, "zh.txt")
    assert [(i.kind, i.spokesperson, i.answer) for i in source.items] == [
        ("qa", "华春莹", "我们反对。\n\n我强调：中方立场是一贯的。"), ("qa", "华春莹", "没有。\n\n我强调：这一点很重要。")]


def test_a_reporter_asks_with_q_and_a_full_stop():
    # "Q. Mr. President, ..." (as many transcripts write it) failed the cheap pre-test every label
    # must pass, though the White House rule reads it: the question joined the answer before it
    text = ("Press Briefing by Press Secretary Jen Psaki, June 1, 2021\n\nMS. PSAKI: Hi, everyone.\n\n"
            "Q. Mr. President, on Iran?\n\nMS. PSAKI: We will see.\n\nQ. And on China?\n\nMS. PSAKI: The same.\n")
    source = parse_text(text, "wh.txt")
    assert [(i.kind, i.question, i.answer) for i in source.items] == [
        ("statement", "", "Hi, everyone."), ("qa", "Mr. President, on Iran?", "We will see."),
        ("qa", "And on China?", "The same.")]


@pytest.mark.parametrize("paragraph,label", [
    ("Hua chunying: According to international law.", "Hua chunying"),
    ("wang wenbin：We oppose it.", "wang wenbin"),
    ("毛宁：我们反对。", "毛宁"),
])
def test_known_spokespersons_open_turns_however_capitalised(paragraph, label):
    assert speakers.name_label(paragraph)[0] == label


def test_unknown_spokesperson_is_found_by_frequency():
    text = ("Reuters: One?\n\nLin Qiang: Yes.\n\nAFP: Two?\n\nLin Qiang: No.\n\n"
            "CCTV: Three?\n\nLin Qiang: Maybe.\n")
    source = parse_text(text, "t.txt")
    assert [(i.outlet, i.spokesperson) for i in source.items] == [
        ("Reuters", "Lin Qiang"), ("AFP", "Lin Qiang"), ("CCTV", "Lin Qiang")]


@pytest.mark.parametrize("raw,normal", [
    ("The Global Times", "Global Times"), ("Global Times", "Global Times"),
    ("People’s  Daily", "People's Daily"), ("法新社记者", "法新社"), ("Reuters reporter", "Reuters"),
    ("The Paper", "The Paper"), (None, None), ("  ", None),
])
def test_normalise_name(raw, normal):
    assert normalise_name(raw) == normal


def test_rules_kept_from_ascii_paragraphs_open_with_a_chinese_character():
    # The combined pattern for paragraphs that start with an ASCII character leaves these out.
    cjk = {r.name for r in speakers.RULES if r.cjk}
    assert cjk == {"zh-followup", "zh-journalist", "zh-after", "zh-after-told", "zh-q", "zh-a", "zh-spokesperson",
                   "zh-said"}
    for rule in speakers.RULES:
        if rule.cjk:
            for start in ("A", "Q", "1", "(", " ", "C"):
                assert not rule.pattern.match(start + "问：答：追问：记者：会后有记者问及："), rule.name
    assert speakers.match_rule("CGTN记者：有何评论？").label == "CGTN记者"  # ASCII first, still a Chinese outlet
