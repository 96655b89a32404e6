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


def test_some_says_a_part_only_when_it_happened():
    from annotator.core.wording import some

    assert some(0, "copy", " of sources already here", "copies") == []
    assert some(1, "copy", " of sources already here", "copies") == ["1 copy of sources already here"]
    assert some(2, "copy", " of sources already here", "copies") == ["2 copies of sources already here"]


def test_the_merge_line_says_one_of_each_in_the_singular():
    from annotator.core.merge import MergeSummary

    one = MergeSummary(path="alice.db", kind="project", labels_added=1, labels_updated=1, labels_unchanged=1,
                       conflicts_resolved=1, annotations_changed=1, items_added=1, unmatched=1, skipped=1,
                       corrections_applied=1, corrections_not_applied=["item gone"], alignments_taken=1,
                       alignments_kept=1, pairs_realigned=1, hand_across=1)
    assert one.line() == (
        "alice.db (project): 1 label added, 1 updated, 1 unchanged, 1 conflict resolved (later change kept), "
        "1 item added, 1 note/flag/done mark changed, 1 record matched no item (skipped), "
        "1 record without labels (skipped), 1 correction applied, 1 correction not applied (item gone), "
        "1 hand alignment taken, 1 hand alignment not taken (the project's own, another coder's or of items it "
        "lacks), 1 English-Chinese pair aligned again, 1 hand alignment kept across two conferences "
        "(annotator align ITEM shows them)")
    assert MergeSummary(path="b.jsonl", kind="labels", labels_added=2).line() == (
        "b.jsonl (labels): 2 labels added, 0 updated, 0 unchanged, 0 conflicts resolved (later change kept), "
        "0 items added")


def test_the_import_line_says_one_of_each_in_the_singular():
    from collections import Counter

    from annotator.core.import_run import ImportSummary

    one = ImportSummary(files=1, imported_files=1, items_by_kind=Counter(qa=1), duplicate_files=["a"], copies=["b"],
                        conferences={"c"}, aligned=1, failed=["d"], warnings=["e"], notes=["f"])
    assert one.line() == ("1 file: imported 1 item (1 qa) from 1 file; 1 conference; 1 English-Chinese pair aligned; "
                          "1 copy of sources already here (no items added); 1 file already imported (skipped); "
                          "1 file skipped (no transcript); 1 warning; 1 file failed")
    assert ImportSummary(notes=["f"]).nothing_imported() == "nothing imported: 1 file skipped, none of them a transcript"


def test_every_count_in_a_summary_line_groups_its_thousands():
    from collections import Counter

    from annotator.core.export.options import ExportSummary
    from annotator.core.import_run import ImportSummary

    export = ExportSummary(format="native", items=100_000, written=25_401,
                           left_out=Counter({"open disagreement": 74_599}), per_split={"train": 20_321, "dev": 5_080})
    assert export.line() == ("wrote 25,401 native records from 100,000 items; train 20,321, dev 5,080; "
                             "left out 74,599 items (74,599 open disagreement)")
    imported = ImportSummary(files=5_000, imported_files=5_000, items_by_kind={"qa": 100_000, "statement": 1_204})
    assert imported.line().startswith("5,000 files: imported 101,204 items (100,000 qa, 1,204 statement) from 5,000 files")
