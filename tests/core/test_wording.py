"""One rule of singular and plural for every count said in words (core/wording.py)."""

from annotator.core.agreement.project import units_line
from annotator.core.wording import plural


def test_one_is_singular_every_other_count_plural():
    assert plural(1, "empty set") == "1 empty set"
    assert plural(0, "empty set") == "0 empty sets"
    assert plural(2, "unit") == "2 units"
    assert plural(1204, "unit") == "1,204 units"
    assert plural(3, "analysis", "analyses") == "3 analyses"


def test_the_agreement_units_line_says_one_empty_set_and_one_unit():
    one = {"compared": 1, "empty_on_every_side": 1, "not_applicable": 0, "missing": 0, "missing_by_coder": {}}
    assert units_line(one) == "1 unit compared (1 empty set on every side), 0 not applicable, 0 missing"
    many = {"compared": 12, "empty_on_every_side": 3, "not_applicable": 4, "missing": 5,
            "missing_by_coder": {"alice": 2, "bob": 3}}
    assert units_line(many) == ("12 units compared (3 empty sets on every side), 4 not applicable, "
                                "5 missing (alice 2, bob 3)")
