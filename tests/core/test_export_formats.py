"""Prodigy, spaCy and Label Studio exports, checked against each tool's documented
record shape -- and, for spaCy, against spaCy itself."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.export import ExportOptions, export, labelling_config_path
from annotator.core.store import Store
from tests.helpers import (
    bilingual_project,
    copy_project,
    label_two_coders,
    mark_done,
    new_project,
    read_jsonl,
    real_sources,
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    return new_project(tmp_path_factory.mktemp("formats") / "template.db", real_sources(corpus, 4))


@pytest.fixture
def labelled(template: Path, tmp_path: Path):
    with Store(copy_project(template, tmp_path / "p.db")) as store:
        expected = label_two_coders(store)
        yield store, expected


# Prodigy, "Annotation interfaces > choice" and the db-out records of a choice task
# (prodi.gy/docs/api-interfaces#choice; records as saved by Prodigy's database):
#   "text", "options": [{"id": ..., "text": ...}], "accept": [ids of the chosen options],
#   "answer": "accept" | "reject" | "ignore", "_view_id": "choice",
#   "config": {"choice_style": "single" | "multiple"}, "_input_hash", "_task_hash" (integers),
#   "_annotator_id" and "_session_id" ("dataset-session"), "_timestamp" (Unix seconds), "meta".
PRODIGY_FIELDS = {"text", "meta", "options", "accept", "answer", "_view_id", "config", "_input_hash", "_task_hash",
                  "_annotator_id", "_session_id", "_timestamp"}


def documented_hash(values: list, prefix: str | int = "") -> int:
    """Prodigy's set_hashes, through an independent MurmurHash3 (mmh3): the JSON of each value,
    joined with nothing, behind the prefix -- the rule that reproduces the hashes Prodigy wrote in
    Explosion's prodigy-recipes example-datasets/annotated_reddit-INSULT-textcat.jsonl (8 of 8
    records checked by hand; the dataset is not copied here)."""
    import mmh3

    return mmh3.hash(f"{prefix}{''.join(json.dumps(v, sort_keys=True, separators=(',', ':')) for v in values)}")


def test_murmurhash_gives_the_reference_values() -> None:
    import murmurhash

    from annotator.core.export.prodigy import get_hash
    # MurmurHash3_x86_32, seed 0: the published vector of SMHasher / Wikipedia, as a signed int
    assert murmurhash.hash("The quick brown fox jumps over the lazy dog") == 0x2E4FF723
    assert murmurhash.hash("") == 0
    task = {"text": "Wang Wenbin: «We firmly oppose it.»", "options": [{"id": "tone:firm", "text": "Firm"}],
            "meta": {"uid": "x"}, "answer": "accept", "_view_id": "choice"}
    assert get_hash(task, ("text", "image", "html", "input")) == documented_hash([task["text"]])
    assert get_hash(task, ("spans", "label", "options", "arcs"), prefix=7) == documented_hash(
        [task["options"]], prefix=7)
    # the values in the order of the keys asked for, each its own JSON: spans before label
    labelled = {"text": "t/u", "label": "INSULT", "spans": []}
    assert get_hash(labelled, ("spans", "label", "options", "arcs"), prefix=-3) == documented_hash(
        [[], "INSULT"], prefix=-3)
    assert get_hash(labelled, ("text",)) == documented_hash(["t/u"]) != documented_hash([{"text": "t/u"}])
    # no key of the list present: the whole task but the ignored keys
    assert get_hash({"meta": {"a": 1}, "answer": "x"}, ("text",)) == documented_hash([{"a": 1}])


def test_prodigy_records_one_per_coder_and_scheme(labelled, tmp_path) -> None:
    store, expected = labelled
    out = tmp_path / "prodigy.jsonl"
    summary = export(store, ExportOptions(format="prodigy"), out)
    records = read_jsonl(out)
    assert summary.written == len(records) == sum(len(labels) for labels in expected.values())
    cb = store.codebook()
    got = {}
    for r in records:
        assert set(r) == PRODIGY_FIELDS
        assert r["_view_id"] == "choice" and r["answer"] == "accept"
        scheme = cb.scheme(r["meta"]["scheme"])
        assert r["config"] == {"choice_style": "multiple" if scheme.kind == "multi" else "single"}
        # one scheme's view: its options only, ids that name the scheme
        assert r["options"] == [{"id": f"{scheme.name}:{o.value}", "text": o.label} for o in scheme.options]
        assert set(r["accept"]) <= {o["id"] for o in r["options"]}
        for h in ("_input_hash", "_task_hash"):
            assert isinstance(r[h], int) and -(2**31) <= r[h] < 2**31
        assert r["_input_hash"] == documented_hash([r["text"]])
        assert r["_task_hash"] == documented_hash([r["options"]], prefix=r["_input_hash"])
        assert r["_session_id"] == r["_annotator_id"] == f"p-{r['_annotator_id'].split('-', 1)[1]}"
        assert isinstance(r["_timestamp"], int) and r["_timestamp"] > 1_600_000_000
        coder = r["_annotator_id"].split("-", 1)[1]
        values = [a.split(":", 1)[1] for a in r["accept"]]
        got.setdefault((r["meta"]["uid"], coder), {})[scheme.name] = values if scheme.kind == "multi" else values[0]
    assert got == expected
    # same text, same input hash; different scheme, different task hash; same on every run
    by_uid: dict[str, list[dict]] = {}
    for r in records:
        by_uid.setdefault(r["meta"]["uid"], []).append(r)
    group = next(g for g in by_uid.values() if len({r["meta"]["scheme"] for r in g}) > 1)
    assert len({r["_input_hash"] for r in group}) == 1 and len({r["_task_hash"] for r in group}) == 2
    export(store, ExportOptions(format="prodigy"), tmp_path / "again.jsonl")
    assert [(r["_input_hash"], r["_task_hash"]) for r in read_jsonl(tmp_path / "again.jsonl")] == [
        (r["_input_hash"], r["_task_hash"]) for r in records]


def test_prodigy_options_of_two_schemes_never_share_an_id(labelled, tmp_path) -> None:
    store, _ = labelled
    out = tmp_path / "u.jsonl"
    export(store, ExportOptions(format="prodigy", include_unlabelled=True), out)
    ids: dict[str, set[str]] = {}
    for r in read_jsonl(out):
        ids.setdefault(r["meta"]["scheme"], set()).update(o["id"] for o in r["options"])
    assert "tone:neutral" in ids["tone"] and "question_stance:neutral" in ids["question_stance"]
    schemes = list(ids)
    assert all(not (ids[a] & ids[b]) for i, a in enumerate(schemes) for b in schemes[i + 1:])


def test_prodigy_enters_empty_set_is_a_row_and_hashed_as_the_same_task(template, tmp_path) -> None:
    """Enter with rhetoric on screen and nothing ticked writes an explicit [] ("none of these"):
    answered with nothing accepted, no mark of its own, hashed as any explicit [] is."""
    with Store(copy_project(template, tmp_path / "p.db")) as store:
        item = store.items.first_id()
        mark_done(store, item, "alice")                       # alice ticked no rhetorical act: []
        store.labels.set(item, "bob", "rhetoric", [])         # bob said "none of these" through the API
        out = tmp_path / "p.jsonl"
        export(store, ExportOptions(format="prodigy", scheme="rhetoric"), out)
    records = {r["_annotator_id"].split("-", 1)[1]: r for r in read_jsonl(out)}
    alice, bob = records["alice"], records["bob"]
    assert alice["accept"] == bob["accept"] == []
    assert "from_done" not in alice["meta"] and "from_done" not in bob["meta"]
    assert (alice["_input_hash"], alice["_task_hash"]) == (bob["_input_hash"], bob["_task_hash"])


# spaCy, "Training data for text classification" (spacy.io/api/textcategorizer,
# spacy.io/usage/training#training-data): an Example is made from a Doc and a dict
# {"cats": {"LABEL": 1.0, ...}}; textcat (exclusive classes) needs exactly one positive
# label per doc, textcat_multilabel any number; the JSONL convention is one
# {"text": ..., "cats": {...}} object per line.
@pytest.mark.parametrize("scheme", ["tone", "topics"])
def test_spacy_records_train_a_spacy_text_classifier(labelled, tmp_path, scheme) -> None:
    import spacy  # a test-only dependency: spaCy itself checks the records
    from spacy.tokens import DocBin
    from spacy.training import Example

    store, expected = labelled
    out = tmp_path / f"{scheme}.jsonl"
    summary = export(store, ExportOptions(format="spacy-jsonl", selection="coder", coder="alice", scheme=scheme), out)
    records = read_jsonl(out)
    values = store.codebook().scheme(scheme).values
    mine = [labels[scheme] for (uid, coder), labels in expected.items() if coder == "alice" and scheme in labels]
    assert summary.written == len(records) == len(mine)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat" if scheme == "tone" else "textcat_multilabel")
    examples = []
    db = DocBin()
    for r, value in zip(records, mine, strict=True):
        assert set(r) == {"text", "cats", "meta"} and list(r["cats"]) == list(values)
        assert set(r["cats"].values()) <= {0.0, 1.0}
        assert {k for k, v in r["cats"].items() if v == 1.0} == (set(value) if isinstance(value, list) else {value})
        if scheme == "tone":
            assert sum(r["cats"].values()) == 1.0
        doc = nlp.make_doc(r["text"])
        doc.cats = r["cats"]
        db.add(doc)
        examples.append(Example.from_dict(nlp.make_doc(r["text"]), {"cats": r["cats"]}))
    for label in values:
        textcat.add_label(label)
    nlp.initialize(lambda: examples)
    losses = nlp.update(examples[:16])
    assert losses[textcat.name] >= 0.0
    db.to_disk(tmp_path / "train.spacy")
    back = list(DocBin().from_disk(tmp_path / "train.spacy").get_docs(nlp.vocab))
    assert [d.cats for d in back] == [r["cats"] for r in records]


# spaCy's DocBin (spacy.io/api/docbin) and its training config (spacy.io/usage/training#config):
# `spacy train` reads .spacy files through spacy.Corpus.v1; textcat_multilabel reads doc.cats
# and treats a label missing from cats as unknown (TextCategorizer._examples_to_truth,
# support_missing_values); the exclusive textcat checks the doc's whole cats (E895).
def read_docbin(path: Path) -> list:
    import spacy
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


def test_spacy_docbin_split_holds_every_scheme_as_scheme_option_cats(labelled, tmp_path) -> None:
    store, expected = labelled
    folder = tmp_path / "spacy"
    summary = export(store, ExportOptions(format="spacy", selection="coder", coder="alice",
                                          split={"train": 0.6, "dev": 0.2, "test": 0.2}), folder)
    assert sorted(p.name for p in folder.iterdir()) == ["config.cfg", "dev.spacy", "test.spacy", "train.spacy"]
    cb = store.codebook()
    mine = {uid: labels for (uid, coder), labels in expected.items() if coder == "alice"}
    got = {}
    for name in ("train", "dev", "test"):
        docs = read_docbin(folder / f"{name}.spacy")
        assert len(docs) == summary.per_split[name]
        for doc in docs:
            uid = doc.user_data["uid"]
            labels = {}
            for s in cb.schemes:
                keys = [k for k in doc.cats if k.startswith(f"{s.name}:")]
                if not keys:
                    continue  # a scheme alice did not label is unknown, not false
                assert keys == [f"{s.name}:{v}" for v in s.values]  # complete, in codebook order
                on = [k.split(":", 1)[1] for k in keys if doc.cats[k] == 1.0]
                assert all(doc.cats[k] in (0.0, 1.0) for k in keys)
                if s.kind == "single":
                    assert len(on) == 1  # one-hot
                    labels[s.name] = on[0]
                else:
                    labels[s.name] = on
            assert doc.text and uid not in got
            got[uid] = labels
    assert got == mine and summary.written == len(mine)


def test_spacy_config_trains_one_classifier_per_scheme(labelled, tmp_path, monkeypatch) -> None:
    import spacy
    from spacy.training import Example
    from spacy.training.initialize import init_nlp

    store, _ = labelled
    folder = tmp_path / "spacy"
    export(store, ExportOptions(format="spacy", selection="coder", coder="alice",
                                split={"train": 0.8, "dev": 0.2}), folder)
    config = spacy.util.load_config(folder / "config.cfg")
    cb = store.codebook()
    assert config["nlp"]["pipeline"] == [f"textcat_{s.name}" for s in cb.schemes]
    assert (config["paths"]["train"], config["paths"]["dev"]) == ("train.spacy", "dev.spacy")
    for s in cb.schemes:
        assert config["components"][f"textcat_{s.name}"]["factory"] == "textcat_multilabel"
        assert config["initialize"]["components"][f"textcat_{s.name}"]["labels"] == [f"{s.name}:{v}" for v in s.values]
    monkeypatch.chdir(folder)  # the config's paths are relative, as `spacy train` in the folder reads them
    nlp = init_nlp(config)
    for s in cb.schemes:
        assert nlp.get_pipe(f"textcat_{s.name}").labels == tuple(f"{s.name}:{v}" for v in s.values)
    docs = read_docbin(folder / "train.spacy")
    examples = [Example(nlp.make_doc(d.text), d) for d in docs[:32]]
    losses = nlp.update(examples)
    assert set(losses) == {f"textcat_{s.name}" for s in cb.schemes}


def test_spacy_one_single_choice_scheme_uses_the_exclusive_textcat(labelled, tmp_path) -> None:
    import spacy

    store, _ = labelled
    folder = tmp_path / "tone"
    summary = export(store, ExportOptions(format="spacy", selection="coder", coder="bob", scheme="tone"), folder)
    assert sorted(p.name for p in folder.iterdir()) == ["config.cfg", "corpus.spacy"]
    config = spacy.util.load_config(folder / "config.cfg")
    assert config["components"]["textcat_tone"]["factory"] == "textcat"
    assert config["paths"]["train"] is None  # no split: say which file trains and which evaluates
    docs = read_docbin(folder / "corpus.spacy")
    assert len(docs) == summary.written and all(sum(d.cats.values()) == 1.0 for d in docs)
    assert all(set(d.cats) == {f"tone:{v}" for v in store.codebook().scheme("tone").values} for d in docs)


def test_spacy_docbin_refuses_a_file_in_place_of_its_folder(labelled, tmp_path) -> None:
    store, _ = labelled
    (tmp_path / "taken").write_text("x")
    with pytest.raises(AnnotatorError, match="is a file; --format spacy writes a folder"):
        export(store, ExportOptions(format="spacy", selection="gold"), tmp_path / "taken")
    with pytest.raises(AnnotatorError, match="cannot write the export \\(no folder"):
        export(store, ExportOptions(format="spacy", selection="gold"), tmp_path / "no" / "where")
    assert (tmp_path / "taken").read_text() == "x"


def test_spacy_gold_leaves_out_items_without_a_gold_label(labelled, tmp_path) -> None:
    store, _ = labelled
    summary = export(store, ExportOptions(format="spacy-jsonl", selection="gold", scheme="tone"), tmp_path / "g.jsonl")
    assert summary.written + sum(summary.left_out.values()) == store.items.count()
    assert all(why.startswith("no gold tone label") for why in summary.left_out)


def test_spacy_leaves_a_value_the_codebook_lacks_unknown_rather_than_false(store, tmp_path) -> None:
    # After 'firm' was renamed 'stern' (forced), alice's 'firm' went out as every tone option 0.0,
    # 'stern' among them: training data saying the opposite of what she decided.
    from annotator.core.codebook import default_codebook_path, parse_codebook

    store.labels.set(2, "alice", "tone", "firm")
    store.labels.set(2, "alice", "rhetoric", ["threat"])
    store.labels.set(3, "alice", "tone", "warm")
    store.labels.set(4, "alice", "tone", "firm")
    text = default_codebook_path().read_text(encoding="utf-8").replace('value = "firm"', 'value = "stern"')
    store.set_codebook(parse_codebook(text, "renamed.toml"), force=True)
    summary = export(store, ExportOptions(format="spacy-jsonl", selection="coder", coder="alice", scheme="tone"),
                     tmp_path / "tone.jsonl")
    assert [r["cats"]["warm"] for r in read_jsonl(tmp_path / "tone.jsonl")] == [1.0]
    assert summary.left_out["a value outside the codebook"] == 2
    export(store, ExportOptions(format="spacy", selection="coder", coder="alice"), tmp_path / "spacy")
    docs = read_docbin(tmp_path / "spacy" / "corpus.spacy")
    assert [sorted({k.split(":")[0] for k in d.cats}) for d in docs] == [["rhetoric"], ["tone"]]  # item 4 left out


def test_label_studio_and_prodigy_leave_out_a_value_the_codebook_lacks(store, tmp_path) -> None:
    # After 'firm' was renamed 'stern' (forced), Label Studio's tasks held the choice 'firm', which
    # their labelling config has no Choice for, and Prodigy's an 'accept' id no option has.
    from annotator.core.codebook import default_codebook_path, parse_codebook

    for coder in ("alice", "bob"):
        store.labels.set(2, coder, "tone", "firm")
        store.labels.set(2, coder, "rhetoric", ["threat"])
        store.labels.set(3, coder, "tone", "warm")
        store.labels.set(4, coder, "tone", "firm")
    text = default_codebook_path().read_text(encoding="utf-8").replace('value = "firm"', 'value = "stern"')
    store.set_codebook(parse_codebook(text, "renamed.toml"), force=True)
    for options in (ExportOptions(format="labelstudio", selection="coder", coder="alice"),
                    ExportOptions(format="labelstudio", selection="gold")):
        out = tmp_path / f"{options.selection}.json"
        summary = export(store, options, out)
        config = ET.fromstring(labelling_config_path(out).read_text(encoding="utf-8"))
        offered = {(c.get("name"), o.get("value")) for c in config.findall("Choices") for o in c.findall("Choice")}
        results = [(task["data"]["uid"], r["from_name"], v) for task in json.loads(out.read_text(encoding="utf-8"))
                   for ann in task["annotations"] + task.get("predictions", []) for r in ann["result"]
                   for v in r["value"]["choices"]]
        assert {(f, v) for _, f, v in results} == {("rhetoric", "threat"), ("tone", "warm")} <= offered
        assert summary.written == 2 and summary.left_out["a value outside the codebook"] == 1  # item 4
    for options in (ExportOptions(format="prodigy", selection="coder", coder="alice"),
                    ExportOptions(format="prodigy", selection="gold")):
        out = tmp_path / f"{options.selection}.jsonl"
        summary = export(store, options, out)
        tasks = read_jsonl(out)
        assert all(set(t["accept"]) <= {o["id"] for o in t["options"]} for t in tasks)
        assert sorted(t["meta"]["scheme"] for t in tasks) == ["rhetoric", "tone"]
        assert summary.left_out["a value outside the codebook"] == 1


@pytest.mark.parametrize("options, message", [
    (ExportOptions(format="spacy-jsonl", selection="coder", coder="alice"), "needs --scheme"),
    (ExportOptions(format="spacy-jsonl", scheme="tone"), "needs --gold or --coder"),
    (ExportOptions(format="spacy", scheme="tone"), "needs --gold or --coder"),
    (ExportOptions(format="spacy-jsonl", selection="gold", scheme="tone", include_unlabelled=True), "include-unlabelled"),
    (ExportOptions(format="spacy", selection="gold", include_unlabelled=True), "include-unlabelled"),
    (ExportOptions(format="spacy", selection="gold", scheme="mood"), "no scheme 'mood'"),
    (ExportOptions(selection="coder", coder="carol"), "no coder 'carol' (coders: alice, bob)"),
])
def test_spacy_and_selection_mistakes_are_one_clear_error(labelled, tmp_path, options, message) -> None:
    store, _ = labelled
    with pytest.raises(AnnotatorError, match=message.replace("(", r"\(").replace(")", r"\)")):
        export(store, options, tmp_path / "x.jsonl")
    assert not (tmp_path / "x.jsonl").exists()


# Label Studio, "Label Studio JSON format of annotated tasks" (labelstud.io/guide/task_format,
# "Relevant JSON property descriptions"): a JSON array of tasks with
#   data, annotations; annotations.lead_time ("Time in seconds to label the task"),
#   annotations.result, annotations.completed_by, annotations.was_cancelled; result.from_name
#   ("Name of the tag used to label the region"), result.to_name ("Name of the object tag"),
#   result.type, result.value; predictions with model_version and result; and for Choices
#   "type": "choices", "value": {"choices": [...]}, with <Choices name=... toName=...> in the
#   labelling config. What the import accepts as completed_by is read from Label Studio 1.23's
#   own source (tasks/serializers.py, _insert_valid_completed_by): {"email": E} of a member of
#   the organisation, or a member's integer id; anything else refuses the whole file.
EMAILS = {"alice": "alice@lab.org", "bob": "bob@lab.org"}


def labels_of(result: list[dict], cb) -> dict:
    labels = {}
    for res in result:
        assert res["type"] == "choices" and res["to_name"] == "text"
        scheme = cb.scheme(res["from_name"])
        assert set(res["value"]["choices"]) <= set(scheme.values)
        labels[scheme.name] = res["value"]["choices"] if scheme.kind == "multi" else res["value"]["choices"][0]
    return labels


def test_labelstudio_tasks_and_labelling_config(labelled, tmp_path) -> None:
    store, expected = labelled
    out = tmp_path / "tasks.json"
    summary = export(store, ExportOptions(format="labelstudio", ls_users=EMAILS), out)
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(tasks, list) and len(tasks) == summary.written == len({uid for uid, _ in expected})
    config = ET.fromstring(labelling_config_path(out).read_text(encoding="utf-8"))
    assert config.tag == "View"
    text_tag = config.find("Text")
    assert text_tag is not None and text_tag.get("value") == "$text"
    choices = {c.get("name"): c for c in config.findall("Choices")}
    cb = store.codebook()
    assert set(choices) == {s.name for s in cb.schemes}
    for s in cb.schemes:
        assert choices[s.name].get("toName") == text_tag.get("name")
        assert choices[s.name].get("choice") == ("multiple" if s.kind == "multi" else "single")
        assert [c.get("value") for c in choices[s.name].findall("Choice")] == list(s.values)
    owner = {e: c for c, e in EMAILS.items()}
    got = {}
    for task in tasks:
        assert {"text", "question", "answer", "outlet", "spokesperson", "date", "uid"} <= set(task["data"])
        assert "predictions" not in task
        for ann in task["annotations"]:
            assert {"completed_by", "lead_time", "result", "was_cancelled", "ground_truth"} <= set(ann)
            assert set(ann["completed_by"]) == {"email"} and ann["ground_truth"] is False
            coder = owner[ann["completed_by"]["email"]]
            assert all(r["from_name"] in choices for r in ann["result"])
            got[(task["data"]["uid"], coder)] = labels_of(ann["result"], cb)
            if coder == "alice":
                assert ann["lead_time"] == pytest.approx(1.5 * len(got[(task["data"]["uid"], coder)]))
    assert got == expected


def test_labelstudio_without_users_writes_each_coder_as_predictions(labelled, tmp_path) -> None:
    store, expected = labelled
    out = tmp_path / "tasks.json"
    export(store, ExportOptions(format="labelstudio"), out)
    tasks = json.loads(out.read_text(encoding="utf-8"))
    cb = store.codebook()
    got = {}
    for task in tasks:
        assert task["annotations"] == []  # no owner Label Studio could resolve: no annotation
        for pred in task["predictions"]:
            assert set(pred) == {"model_version", "result"}
            got[(task["data"]["uid"], pred["model_version"])] = labels_of(pred["result"], cb)
    assert got == expected
    # one coder's export: the same, for that coder only
    export(store, ExportOptions(format="labelstudio", selection="coder", coder="bob"), out)
    bob = {(t["data"]["uid"], p["model_version"]): labels_of(p["result"], cb)
           for t in json.loads(out.read_text(encoding="utf-8")) for p in t["predictions"]}
    assert bob == {k: v for k, v in expected.items() if k[1] == "bob"}


def test_labelstudio_gold_is_ground_truth_owned_by_the_mapped_reviewer(labelled, tmp_path) -> None:
    store, expected = labelled
    uid, labels = next((uid, lab) for (uid, coder), lab in expected.items() if coder == "alice" and "tone" in lab)
    item_id = store.items.id_for_uid(uid)
    store.gold.set(item_id, "tone", labels["tone"], "carol")
    out = tmp_path / "gold.json"
    for users, owner in ((None, None), ({"carol": "carol@lab.org"}, {"email": "carol@lab.org"}), ({"carol": 9}, 9)):
        export(store, ExportOptions(format="labelstudio", selection="gold", ls_users=users), out)
        tasks = json.loads(out.read_text(encoding="utf-8"))
        assert tasks and all(len(t["annotations"]) == 1 and t["annotations"][0]["ground_truth"] for t in tasks)
        mine = next(t for t in tasks if t["data"]["uid"] == uid)["annotations"][0]
        assert labels_of(mine["result"], store.codebook())["tone"] == labels["tone"]
        assert mine.get("completed_by") == owner  # unmapped: whoever imports the file owns it


def test_labelstudio_users_must_cover_every_coder_written(labelled, tmp_path) -> None:
    store, _ = labelled
    out = tmp_path / "tasks.json"
    with pytest.raises(AnnotatorError, match=r"names no Label Studio user for bob \(add bob=E-MAIL"):
        export(store, ExportOptions(format="labelstudio", ls_users={"alice": "alice@lab.org"}), out)
    assert not out.exists() and not labelling_config_path(out).exists()
    # one coder's export needs only that coder's user
    export(store, ExportOptions(format="labelstudio", selection="coder", coder="alice",
                                ls_users={"alice": "alice@lab.org"}), out)
    assert all(a["completed_by"] == {"email": "alice@lab.org"}
               for t in json.loads(out.read_text(encoding="utf-8")) for a in t["annotations"])
    with pytest.raises(AnnotatorError, match="--ls-users names Label Studio users; it goes with --format labelstudio"):
        export(store, ExportOptions(format="native", ls_users={"alice": "alice@lab.org"}), tmp_path / "n.jsonl")


def test_labelstudio_empty_export_is_still_a_json_array(template, tmp_path) -> None:
    with Store(copy_project(template, tmp_path / "e.db")) as store:
        export(store, ExportOptions(format="labelstudio"), tmp_path / "t.json")
    assert json.loads((tmp_path / "t.json").read_text()) == []


def test_spacy_docs_are_tokenized_in_their_pages_language(tmp_path, corpus) -> None:
    """A bilingual project: each doc by its own language's tokenizer (Chinese by character, not a
    whole clause as one token), the config's pipeline the language most docs are in, and
    --language exporting one language alone, whose config trains that language's pipeline."""
    import spacy

    with Store(bilingual_project(tmp_path / "both.db", corpus)) as store:
        expected = label_two_coders(store)
        language = dict(store.db.execute("SELECT i.uid, s.language FROM items i JOIN sources s ON s.id = i.source_id"))
        mine = [uid for (uid, coder) in expected if coder == "alice"]
        by_language = {lang: [u for u in mine if language[u] == lang] for lang in ("en", "zh")}
        assert all(by_language.values())

        both = export(store, ExportOptions(format="spacy", selection="coder", coder="alice"), tmp_path / "both")
        assert both.languages == {lang: len(uids) for lang, uids in by_language.items()}
        majority = max(by_language, key=lambda lang: len(by_language[lang]))
        assert both.config_lang == majority
        assert "docs in" in both.line() and "--language" in both.line()
        trained = {"en": "English", "zh": "Chinese"}[majority]
        assert f"config.cfg trains one pipeline, for {trained} (one tokenizer)" in both.line()  # not "a English"
        docs = {d.user_data["uid"]: d for d in read_docbin(tmp_path / "both" / "corpus.spacy")}
        for uid in by_language["zh"]:
            han = [t.text for t in docs[uid] if "\u4e00" <= t.text[0] <= "\u9fff"]
            assert han and all(len(t) == 1 for t in han), uid  # spaCy's Chinese tokenizer: one character a token
        for uid in by_language["en"]:
            assert [t.text for t in docs[uid]] == [t.text for t in spacy.blank("en").make_doc(docs[uid].text)]
        assert spacy.util.load_config(tmp_path / "both" / "config.cfg")["nlp"]["lang"] == majority

        zh = export(store, ExportOptions(format="spacy", selection="coder", coder="alice", language="zh"), tmp_path / "zh")
        assert zh.languages == {"zh": len(by_language["zh"])} and zh.written == len(by_language["zh"])
        assert zh.left_out["not in Chinese"] == sum(lang == "en" for lang in language.values())
        assert "docs in" not in zh.line()
        assert spacy.util.load_config(tmp_path / "zh" / "config.cfg")["nlp"]["lang"] == "zh"
        assert {d.user_data["uid"] for d in read_docbin(tmp_path / "zh" / "corpus.spacy")} == set(by_language["zh"])

        en = tmp_path / "en.jsonl"
        export(store, ExportOptions(language="en", include_unlabelled=True), en)
        assert {r["uid"] for r in read_jsonl(en)} == {u for u, lang in language.items() if lang == "en"}
        with pytest.raises(AnnotatorError, match="--labels carries every item"):
            export(store, ExportOptions(labels_file=True, language="zh"), tmp_path / "labels.jsonl")
