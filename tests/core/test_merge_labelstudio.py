"""merge reads Label Studio's JSON export: owners -> coders, choices -> schemes, lead_time -> seconds.

The two files in tests/core/data are what a real Label Studio 1.23.2 exported (the default
export, users by id, and an export snapshot with users expanded) after importing
annotator's own export of the small project ``synthetic`` builds here.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.export import ExportOptions, export
from annotator.core.merge import merge_files
from annotator.core.store import Store
from tests.helpers import labelstudio_source, new_project

DATA = Path(__file__).parent / "data"
BY_ID = DATA / "labelstudio-1.23.2-export-ids.json"
BY_EMAIL = DATA / "labelstudio-1.23.2-export-emails.json"
# what the coders said in the project Label Studio got, and their seconds per item
LABELS = {
    (1, "alice"): {"tone": "firm", "topics": ["taiwan", "trade_sanctions"]},
    (1, "bob"): {"tone": "neutral"},
    (2, "alice"): {"question_stance": "hostile"},
    (2, "bob"): {"topics": []},
    (3, "bob"): {"tone": "warm"},
}
SECONDS = {(1, "alice"): 3.5, (1, "bob"): 3.0, (2, "alice"): 1.5, (2, "bob"): 0.5, (3, "bob"): 4.0}


def synthetic(path: Path, labelled: bool = False) -> Path:
    new_project(path, [labelstudio_source()])
    if labelled:
        with Store(path) as store:
            for (item_id, coder), labels in LABELS.items():
                for scheme, value in labels.items():
                    store.labels.set(item_id, coder, scheme, value)
    return path


def labels_in(store: Store) -> dict[tuple[int, str], dict]:
    out: dict[tuple[int, str], dict] = {}
    for item_id, coder, scheme, value in store.db.execute("SELECT item_id, coder, scheme, value FROM labels"):
        out.setdefault((item_id, coder), {})[scheme] = json.loads(value)
    return out


def seconds_in(store: Store) -> dict[tuple[int, str], float]:
    return {(i, c): s for i, c, s in store.db.execute("SELECT item_id, coder, seconds FROM annotations")}


def test_an_export_with_users_e_mails_brings_every_coder_in(tmp_path) -> None:
    with Store(synthetic(tmp_path / "p.db")) as store:
        _, [summary] = merge_files(store, [BY_EMAIL])
        assert summary.kind == "labelstudio" and summary.labels_added == 6 and summary.unmatched == 0
        assert labels_in(store) == LABELS
        assert seconds_in(store) == pytest.approx(SECONDS)
        # merging it again changes nothing
        _, [again] = merge_files(store, [BY_EMAIL])
        assert (again.labels_added, again.labels_updated, again.labels_unchanged) == (0, 0, 6)


def test_the_default_export_names_users_by_id_so_ids_are_mapped(tmp_path) -> None:
    project = synthetic(tmp_path / "p.db")
    with Store(project) as store:
        with pytest.raises(AnnotatorError) as e:
            merge_files(store, [BY_ID], backup=False)
        assert str(e.value) == (f"{BY_ID}: task 205, annotation 183: completed_by=2 names no coder "
                                "(give --ls-users NAME=2); nothing merged")
        assert labels_in(store) == {}
        merge_files(store, [BY_ID], ls_users={"alice": 2, "bob": 3})
        assert labels_in(store) == LABELS


def test_a_project_sent_to_label_studio_comes_back_unchanged(tmp_path) -> None:
    with Store(synthetic(tmp_path / "p.db", labelled=True)) as store:
        _, [summary] = merge_files(store, [BY_EMAIL])
        assert (summary.labels_added, summary.labels_updated, summary.conflicts_resolved) == (0, 0, 0)
        assert summary.labels_unchanged == 6 and labels_in(store) == LABELS


def test_items_are_matched_by_text_when_the_tasks_have_no_uid(tmp_path) -> None:
    tasks = json.loads(BY_EMAIL.read_text(encoding="utf-8"))
    for t in tasks:
        del t["data"]["uid"]
    other = tmp_path / "no-uid.json"
    other.write_text(json.dumps(tasks), encoding="utf-8")
    with Store(synthetic(tmp_path / "p.db")) as store:
        merge_files(store, [other])
        assert labels_in(store) == LABELS


def test_our_own_export_with_users_round_trips_through_merge(tmp_path) -> None:
    with Store(synthetic(tmp_path / "a.db", labelled=True)) as store:
        export(store, ExportOptions(format="labelstudio", ls_users={"alice": "alice@lab.org", "bob": "b@lab.org"}),
               tmp_path / "t.json")
    with Store(synthetic(tmp_path / "b.db")) as store:
        merge_files(store, [tmp_path / "t.json"], ls_users={"alice": "alice@lab.org", "bob": "b@lab.org"})
        assert labels_in(store) == LABELS


def test_an_export_of_predictions_alone_merges_nothing_and_says_why(tmp_path) -> None:
    # annotator's own export without --ls-users: every coder's value a prediction, no annotation
    with Store(synthetic(tmp_path / "a.db", labelled=True)) as store:
        export(store, ExportOptions(format="labelstudio"), tmp_path / "t.json")
    tasks = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    predicted = sum(1 for t in tasks if t.get("predictions") and not t.get("annotations"))
    assert predicted == 3
    with Store(synthetic(tmp_path / "b.db")) as store:
        _, [summary] = merge_files(store, [tmp_path / "t.json"], backup=False)
        assert labels_in(store) == {} and summary.labels_added == 0 and summary.predictions_only == predicted
        assert "3 tasks with predictions only (a model's suggestions, not labels: not read)" in summary.line()


def broken(tmp_path: Path, change) -> Path:
    tasks = json.loads(BY_EMAIL.read_text(encoding="utf-8"))
    change(tasks)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    return path


def first_result(tasks):
    return tasks[0]["annotations"][0]["result"]


@pytest.mark.parametrize("change, message", [
    (lambda t: first_result(t)[1]["value"].update(choices=["furious"]),
     "task 205, annotation 183: labels use values the project's codebook lacks: tone=furious (1); use --force"),
    (lambda t: first_result(t)[1].update(from_name="mood"),
     "task 205, annotation 183: labels use values the project's codebook lacks: mood=firm (1)"),
    (lambda t: first_result(t)[1]["value"].update(choices=["firm", "warm"]),
     "task 205, annotation 183: 'tone' takes one choice, the annotation gives 2"),
    (lambda t: first_result(t).append({"type": "textarea", "from_name": "notes", "value": {"text": ["x"]}}),
     "task 205, annotation 183: result 'notes' is of type 'textarea'; annotator reads only choices"),
    (lambda t: t[0]["annotations"][0].update(completed_by={"id": 9}),
     "task 205, annotation 183: completed_by={\"id\": 9} names no coder; nothing merged"),
    (lambda t: t[0]["annotations"][0].update(completed_by={"id": 9, "email": "@lab.org"}),
     "task 205, annotation 183: completed_by={\"id\": 9, \"email\": \"@lab.org\"} names no coder"),
    (lambda t: t[1].pop("data"), "task 206 has no 'data' object; not a Label Studio JSON export"),
    (lambda t: t[1].update(annotations={}), "task 206: 'annotations' is not a list; not a Label Studio JSON export"),
    (lambda t: first_result(t)[0].pop("value"), "a choices result needs 'from_name' and 'value.choices'"),
])
def test_a_bad_label_studio_file_is_one_line_naming_the_task_and_merges_nothing(tmp_path, change, message) -> None:
    bad = broken(tmp_path, change)
    good = tmp_path / "good.db"
    with Store(synthetic(tmp_path / "p.db")) as store:
        before = store.db.execute("SELECT count(*) FROM label_events").fetchone()[0]
        with pytest.raises(AnnotatorError) as e:
            # the good file first: it must not be merged either
            merge_files(store, [BY_EMAIL, bad], backup=False)
        assert str(e.value).startswith(f"{bad}: ") and message in str(e.value)
        assert "\n" not in str(e.value)
        assert labels_in(store) == {} and store.db.execute("SELECT count(*) FROM label_events").fetchone()[0] == before
    assert not good.exists()


def test_unknown_choices_can_be_kept_with_force(tmp_path) -> None:
    bad = broken(tmp_path, lambda t: first_result(t)[1]["value"].update(choices=["furious"]))
    with Store(synthetic(tmp_path / "p.db")) as store:
        _, [summary] = merge_files(store, [bad], force=True, backup=False)
        assert summary.forced == {"tone=furious": 1} and labels_in(store)[(1, "alice")]["tone"] == "furious"


@pytest.mark.parametrize("text, message", [
    ("{\"data\": {}}", "not a project database or label file"),
    ("[1, 2]", "task #1 has no 'data' object; not a Label Studio JSON export"),
    ("[{\"data\": {}},", "is not JSON"),
])
def test_something_else_than_an_export_is_refused(tmp_path, text, message) -> None:
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    with Store(synthetic(tmp_path / "p.db")) as store, pytest.raises(AnnotatorError, match=message):
        merge_files(store, [path], backup=False)


def test_cancelled_annotations_and_predictions_carry_no_labels(tmp_path) -> None:
    def change(tasks):
        tasks[0]["annotations"][0]["was_cancelled"] = True
        tasks[1]["predictions"] = [{"model_version": "x", "result": copy.deepcopy(first_result(tasks))}]
    with Store(synthetic(tmp_path / "p.db")) as store:
        _, [summary] = merge_files(store, [broken(tmp_path, change)], backup=False)
        assert summary.skipped == 1 and (1, "alice") not in labels_in(store)
        assert labels_in(store) == {k: v for k, v in LABELS.items() if k != (1, "alice")}
