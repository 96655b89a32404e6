"""Each layout issue 13 found failing on real pages, on the page it was seen on (read in
place from the shared corpus) and, where a rule is small, on the lines themselves."""

from __future__ import annotations

import pytest

from annotator.core.importers import parse_text, speakers
from annotator.core.items import Source

MFA_EN = "Foreign Ministry Spokesperson Zhao Lijian's Regular Press Conference on July 1, 2020\n\n"
MFA_ZH = "2020年4月23日外交部发言人耿爽主持例行记者会\n\n"


def _qa(parsed, corpus, name: str) -> tuple[Source, list]:
    source = parsed[(corpus / "real" / name).resolve()]
    assert isinstance(source, Source), source
    return source, [i for i in source.items if i.kind == "qa"]


def test_a_page_mixing_outlet_labels_and_q_keeps_both(parsed, corpus):
    # Outlets ask; after the press conference a "Q:" does, and "Zhao Lijian:" answers it.
    source, qa = _qa(parsed, corpus, "mfa-en-more/2020-07-01_t1793861.html")
    assert len(qa) == 11
    assert [i.outlet for i in qa[:3]] == ["CCTV", "CGTN", "China Daily"]
    last = qa[-1]
    assert last.outlet is None and last.question.startswith("Reports say senior Chinese and Indian commanders")
    assert last.answer.startswith("Chinese and Indian military commanders held the third round talks")
    # The line announcing it is a label, not the end of the answer before.
    assert "asked after the regular press conference" not in qa[-2].answer


def test_mixed_styles_in_plain_text_keep_later_outlets():
    text = (MFA_EN + "Q: First?\n\nA: One.\n\nQ: Second?\n\nA: Two.\n\nReuters: Third?\n\n"
            "Zhao Lijian: Three.\n\nAFP: Fourth?\n\nZhao Lijian: Four.\n")
    source = parse_text(text, "mixed.txt")
    assert [(i.outlet, i.question, i.answer) for i in source.items] == [
        (None, "First?", "One."), (None, "Second?", "Two."), ("Reuters", "Third?", "Three."),
        ("AFP", "Fourth?", "Four.")]


@pytest.mark.parametrize("paragraph,outlet", [
    ("《澳大利亚人报》记者：包括澳大利亚公民在内的外国公民？", "《澳大利亚人报》记者"),
    ("加拿大《环球邮报》记者：有何评论？", "加拿大《环球邮报》记者"),
    ("路透社记者提问：有何评论？", "路透社记者"),
])
def test_chinese_outlets_in_book_title_marks_and_with_tiwen_ask(paragraph, outlet):
    turn = speakers.match_rule(paragraph)
    assert (turn.role, turn.label, turn.outlet) == ("question", outlet, True)


def test_outlets_in_book_title_marks_on_the_page(parsed, corpus):
    source, qa = _qa(parsed, corpus, "mfa-zh-more/2020-04-23_t1772736.html")
    assert [i.outlet for i in qa].count("《澳大利亚人报》记者") == 2
    beijing = next(i for i in qa if i.outlet == "《北京青年报》记者")
    assert beijing.question.startswith("《华盛顿邮报》等媒体近日发表多篇报道")
    assert beijing.answer.startswith("我也看到了有关报道。")


def test_a_bracketed_aside_stays_in_the_answer(parsed, corpus):
    source, qa = _qa(parsed, corpus, "mfa-zh-more/2017-06-21_t1472124.html")
    assert not any(i.outlet and i.outlet.startswith("（") for i in source.items)
    item = next(i for i in qa if i.question.startswith("第一，据报道，美国总统特朗普的女儿和女婿"))
    paragraphs = item.answer.split("\n\n")
    assert "（记者点头）" in paragraphs and "（记者：日本媒体。目前有没有相关计划？）" in paragraphs
    assert paragraphs[-1].startswith("目前我没有关于中日韩领导人会议的消息。")
    assert speakers.match_rule("（记者：我只是问一下）") is None


def test_a_follow_up_answered_without_a_label(parsed, corpus):
    source, qa = _qa(parsed, corpus, "mfa-en-more/2019-07-04_t1678570.html")
    follow = qa[-1]
    assert follow.question == "I wonder if you could add more to that?"
    assert follow.answer.startswith("Yesterday, State Councilor and Foreign Minister Wang Yi met with Nepalese")
    assert follow.follow_up_of == qa[-2].seq
    assert all(i.answer for i in qa)


def test_a_journalist_speaking_up_follows_up_and_the_reply_is_the_answer(parsed, corpus):
    source, qa = _qa(parsed, corpus, "mfa-en-more/2019-07-23_t1682741.html")
    asked = next(i for i in qa if i.question.startswith("The AFP today reported that Uyghurs"))
    assert asked.answer == "This report you mentioned is from Canberra, right?"
    yes = source.items[asked.seq + 1]
    assert (yes.question, yes.follow_up_of) == ("Yes.", asked.seq)
    assert yes.answer.startswith("I saw the reports from Canberra")


def test_two_q_labels_with_an_unlabelled_reply_between_are_two_pairs(parsed, corpus):
    # "Q: ... / (reply without "A:") / Q: ..." on 2019-05-09 used to be one question.
    source, qa = _qa(parsed, corpus, "mfa-en-more/2019-05-09_t1662090.html")
    assert qa[0].question.startswith("Huawei executive Meng Wanzhou") and "\n\n" not in qa[0].question
    assert qa[0].answer.startswith("China's position on the Meng Wanzhou case is clear-cut")
    assert qa[1].question.startswith("Britain's media regulator is investigating")


@pytest.mark.parametrize("name,question,answer", [
    ("mfa-en-more/2018-07-30_t1581484.html", "The Vietnamese government has allowed",
     "There is only one China in the world"),
    ("mfa-en-more/2019-04-04_t1651487.html", "After the Press Conference, a journalist asked if China",
     "I answered a question on the severe flooding"),
    ("mfa-en-more/2019-09-17_t1698607.html", "According to media reports, the Solomon Islands has decided",
     "China highly appreciates the Solomon Islands"),
    ("mfa-en-more/2020-04-07_t1767006.html", "After the press conference, Zhao made further response",
     "China is home to a large online community"),
    ("mfa-zh-more/2017-12-29_t1522838.html", "近日，美方高级官员在《纽约时报》发表文章称", "我们对发展中美关系的立场是一贯和明确的"),
    ("mfa-zh-more/2020-04-07_t1766913.html", "会后，就《南华早报》记者所提问题，赵立坚表示：", "中国是网络大国"),
])
def test_a_question_asked_after_the_press_conference_opens_a_pair(parsed, corpus, name, question, answer):
    source, qa = _qa(parsed, corpus, name)
    last = qa[-1]
    assert last.question.startswith(question) and last.answer.startswith(answer)
    assert question not in qa[-2].answer


def test_a_page_dated_only_by_its_date_line(parsed, corpus):
    source = parsed[(corpus / "real" / "mfa-zh-more" / "nodate_t1416912.html").resolve()]
    assert source.title == "外交部发言人耿爽就十四世达赖窜访蒙古答记者问"
    assert source.date == "2016-11-20" and {i.date for i in source.items} == {"2016-11-20"}
    assert not source.warnings


def test_an_english_title_without_a_year_takes_it_from_the_page_s_image_names_and_says_so(parsed, corpus):
    # No year in the title, no date line, no dated related news: the page's images are
    # "W020180920….jpg", uploaded on 2018-09-20.
    undated = parsed[(corpus / "real" / "mfa-en-more" / "nodate_t1597236.html").resolve()]
    assert undated.date == "2018-09-20" and {i.date for i in undated.items} == {"2018-09-20"}
    assert undated.warnings == ["nodate_t1597236.html: the title gives no year; 2018 taken from the upload days "
                                "in the names of the page's images"]
    remarks = parsed[(corpus / "real" / "mfa-en" / "nodate_remarks_t1686638.html").resolve()]
    assert remarks.date is None and any("no date" in w and "date unknown" in w for w in remarks.warnings)


def test_a_title_and_date_line_give_the_day_and_a_text_without_either_warns():
    dated = parse_text("外交部发言人耿爽答记者问\n\n2019-05-01\n\n问：有何评论？\n\n答：没有。\n", "d.txt")
    assert dated.date == "2019-05-01" and not dated.warnings
    bare = parse_text("Q: Any comment?\n\nA: No.\n", "bare.txt")
    assert bare.date is None
    assert bare.warnings == ["bare.txt: no date in the title, a date line or the opening paragraphs: date unknown"]


def test_a_white_house_closing_time_is_in_no_answer(parsed, corpus):
    source = parsed[(corpus / "real" / "whitehouse" /
                     "2021-01-20-press-briefing-by-press-secretary-jen-psaki-january-20-2021.md").resolve()]
    last = source.items[-1]
    assert last.answer == "Thank you, everyone. Let’s do this again tomorrow."
    assert not any("P.M. EST" in i.answer or "###" in i.answer for i in source.items)


def test_a_moderators_paragraphs_stay_in_order(parsed, corpus):
    source = parsed[(corpus / "real" / "whitehouse" / "2025-01-03-on-the-record-press-gaggle-by-white-house-"
                     "national-security-communications-advisor-john-kirby-39.md").resolve()]
    first = source.items[0]
    assert first.meta == {"role": "moderator"} and first.question == ""
    assert first.answer.startswith("Hey, everyone. Thanks so much for joining the News of the Day Gaggle")
    assert first.answer.endswith("Kirby, over to you.")


def test_a_line_of_stars_ends_the_last_answer(parsed, corpus):
    source, qa = _qa(parsed, corpus, "mfa-en-more/2019-02-21_t1639956.html")
    assert "*" not in qa[-1].answer and "Shanxi" not in qa[-1].answer
    notice = source.items[-1]
    assert notice.kind == "statement" and notice.answer.startswith("The Foreign Ministry and the People's Government of Shanxi")


def test_an_export_licence_is_not_a_licence_line(parsed, corpus):
    source, qa = _qa(parsed, corpus, "mfa-zh-more/2019-05-21_t1665274.html")
    assert any(i.question.startswith("本周一，美国商务部颁发了临时许可证") for i in qa)


def test_an_unanswered_question_is_a_warning_naming_its_paragraph():
    source = parse_text(MFA_EN + "Reuters: One?\n\nZhao Lijian: Yes.\n\nAFP: Two?\n\nCCTV: Three?\n\n"
                        "Zhao Lijian: No.\n", "gap.txt")
    assert [i.answer for i in source.items] == ["Yes.", "", "No."]
    assert source.warnings == ["gap.txt: a question has no answer: paragraph 3 ('Two?')"]


def test_a_menu_inside_an_article_is_left_out_with_a_warning():
    html = ("<html><head><title>2020年4月23日外交部发言人耿爽主持例行记者会</title></head><body>"
            "<div id='News_Body_Txt_A'><p>首页</p><p>新闻</p><p>视频</p><p>图片</p><p>专题</p>"
            "<p>问：有何评论？</p><p>答：没有。</p></div></body></html>")
    source = parse_text(html, "menu.html")
    assert [(i.question, i.answer) for i in source.items] == [("有何评论？", "没有。")]
    assert source.warnings == ["menu.html: 5 short lines in a row inside the article were left out as a menu: "
                               "'首页', '新闻', '视频', …"]


def test_every_rule_opens_its_own_lines():
    # The cheap pre-test lets every rule through: no rule is shadowed by it.
    for line in ("The following question was asked after the regular press conference.",
                 "After the Press Conference, a journalist asked if China is going to help.",
                 "耿爽表示，我们注意到有关报道。", "会后，就《南华早报》记者所提问题，赵立坚表示：",
                 "A journalist posed the following question after the press conference: Will it?"):
        assert speakers.match_rule(line) is not None, line
