"""JSONL and CSV fields that are text must be text: never Python's spelling of a number or a list."""

from __future__ import annotations

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.importers import parse_text


@pytest.mark.parametrize(("line", "says"), [
    ('{"question": 5, "answer": "fine"}', "'question' must be text, not 5"),
    ('{"question": "q?", "answer": ["x"]}', "'answer' must be text, not [\"x\"]"),
    ('{"question": "q?", "answer": "a", "outlet": {"n": 1}}', "'outlet' must be text"),
    ('{"question": "q?", "answer": "a", "kind": 3}', "'kind' must be text, not 3"),
])
def test_a_field_that_is_not_text_refuses_the_file_naming_the_line(line, says):
    text = '{"question": "first?", "answer": "yes"}\n' + line + "\n"
    with pytest.raises(AnnotatorError) as e:
        parse_text(text, "pairs.jsonl")
    assert str(e.value).startswith("pairs.jsonl: line 2: ") and says in str(e.value)


def test_a_field_over_the_limit_is_one_short_line():
    with pytest.raises(AnnotatorError) as e:
        parse_text('{"question": "q?", "answer": "' + "x" * 1_000_001 + '"}\n', "big.jsonl")
    assert "'answer' is 1,000,001 characters long (at most 1,000,000)" in str(e.value)
    assert len(str(e.value)) < 200


def test_text_fields_stay_as_they_are():
    [item] = parse_text('{"question": "5?", "answer": "yes", "outlet": "CNA"}\n', "ok.jsonl").items
    assert (item.question, item.answer, item.outlet) == ("5?", "yes", "CNA")


def test_half_a_character_is_refused_naming_the_field_not_a_traceback():
    # JSON may escape a lone surrogate ("\\ud800"); it is no character, and SQLite cannot store it
    with pytest.raises(AnnotatorError) as e:
        parse_text('{"question": "q?", "answer": "yes"}\n{"question": "q\\ud800", "answer": "a"}\n', "s.jsonl")
    assert str(e.value) == "s.jsonl: line 2: 'question' holds \\ud800 at character 2, half of a character, not text"
