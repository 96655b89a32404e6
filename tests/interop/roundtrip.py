"""`make interop`: annotator's exports through the real tools, and back.

Against a Label Studio started here (its own venv, its own data folder, 127.0.0.1): the
users ``--ls-users`` names are created with ``annotator labelstudio-users``; the
every-coder, per-coder, prediction and gold exports are imported into fresh projects made
from the exported labelling config; Label Studio's own export is read back and checked
task by task (counts, owners, choices) and merged into the same items without labels,
which must then hold exactly the labels made. Then spaCy trains one epoch on the DocBin
split, Hugging Face ``datasets`` loads the native splits, and Datasette serves the project
while annotator writes labels into it. Every server started is stopped by its pid.

    python tests/interop/roundtrip.py --label-studio .interop/ls-venv/bin/label-studio --work .interop/run
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import project  # noqa: E402
from servers import Api, Server, free_port  # noqa: E402

from annotator.core.store import Store  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
LEAD = "lead@annotator.test"
TOKEN = "interop-token-0123456789abcdef"
ANNOTATOR = [str(Path(sys.executable).with_name("annotator"))]

checks: list[str] = []


def check(ok: bool, what: str) -> None:
    if not ok:
        print(f"FAILED: {what}", flush=True)
        raise SystemExit(1)
    checks.append(what)
    print(f"ok  {what}", flush=True)


def run(*args: object, cwd: Path | None = None) -> str:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result.stdout + result.stderr


def annotator(*args: object) -> str:
    return run(*ANNOTATOR, *args)


def labels_of(result: list[dict], schemes: dict[str, str]) -> dict:
    out = {}
    for r in result:
        choices = r["value"]["choices"]
        out[r["from_name"]] = choices if schemes[r["from_name"]] == "multi" else choices[0]
    return out


def canon(labels: dict, order: dict[str, list[str]]) -> dict:
    return {s: sorted(v, key=order[s].index) if isinstance(v, list) else v for s, v in labels.items()}


def stored_labels(db: Path) -> dict[tuple[str, str], dict]:
    with Store(db, readonly=True) as store:
        rows = store.db.execute(
            "SELECT items.uid, labels.coder, labels.scheme, labels.value FROM labels JOIN items ON items.id = labels.item_id")
        out: dict[tuple[str, str], dict] = {}
        for uid, coder, scheme, value in rows:
            out.setdefault((uid, coder), {})[scheme] = json.loads(value)
    return out


# -- Label Studio ------------------------------------------------------------------------------


def label_studio(exe: Path, work: Path, db: Path, expected: dict, schemes: dict, order: dict, files: list[Path]) -> None:
    data = work / "ls-data"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [str(exe), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
            "--data-dir", str(data), "--username", LEAD, "--password", "interop-password-1",
            "--user-token", TOKEN, "--enable-legacy-api-token"]
    env = {"LABEL_STUDIO_BASE_DATA_DIR": str(data), "SENTRY_DSN": ""}
    started = time.monotonic()
    with Server("Label Studio", argv, work / "label-studio.log", f"{url}/health", env) as ls:
        ls.wait_ready(timeout=600)
        print(f"..  Label Studio answered on {url} after {time.monotonic() - started:.0f} s (pid {ls.proc.pid})")
        api = Api(url, TOKEN)
        users = ",".join(f"{c}={e}" for c, e in project.EMAILS.items())
        made = annotator("labelstudio-users", url, "--token", TOKEN, "--ls-users", users)
        check(made.count("created ") == len(project.EMAILS), f"labelstudio-users created {len(project.EMAILS)} users")
        again = annotator("labelstudio-users", url, "--token", TOKEN, "--ls-users", users)
        check(again.count("exists ") == len(project.EMAILS), "labelstudio-users a second time creates nobody")
        listed = api.call("GET", "/api/users/")
        email_of = {u["id"]: u["email"] for u in (listed["results"] if isinstance(listed, dict) else listed)}
        coder_of = {e: c for c, e in project.EMAILS.items()}

        exports = work / "ls"
        exports.mkdir()
        mapping = users + f",lead={LEAD}"
        annotator("export", db, "--format", "labelstudio", "-o", exports / "all.json", "--ls-users", users)
        annotator("export", db, "--format", "labelstudio", "--coder", "alice", "-o", exports / "alice.json",
                  "--ls-users", "alice=" + project.EMAILS["alice"])
        annotator("export", db, "--format", "labelstudio", "-o", exports / "predictions.json")
        annotator("export", db, "--format", "labelstudio", "--gold", "-o", exports / "gold.json", "--ls-users", mapping)
        config = (exports / "all.xml").read_text(encoding="utf-8")

        def fresh_project(title: str, tasks_file: Path) -> tuple[int, dict, list]:
            pid = api.call("POST", "/api/projects", {"title": title, "label_config": config})["id"]
            tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
            answer = api.call("POST", f"/api/projects/{pid}/import", tasks)
            back = api.call("GET", f"/api/projects/{pid}/export?exportType=JSON&download_all_tasks=true")
            return pid, answer, back

        # every coder, each annotation owned by its coder
        pid, answer, back = fresh_project("every coder", exports / "all.json")
        n_ann = len(expected)
        n_tasks = len({uid for uid, _ in expected})
        check(answer["task_count"] == n_tasks and answer["annotation_count"] == n_ann,
              f"every-coder export: Label Studio imported {answer['task_count']} tasks, {answer['annotation_count']} annotations")
        got = {}
        for task in back:
            for a in task["annotations"]:
                got[(task["data"]["uid"], coder_of[email_of[a["completed_by"]]])] = canon(labels_of(a["result"], schemes), order)
        check(got == {k: canon(v, order) for k, v in expected.items()},
              f"every-coder export read back: {len(got)} annotations, each owned by its coder, choices as labelled")
        choices = sum(len(r["value"]["choices"]) for t in back for a in t["annotations"] for r in a["result"])
        made_choices = sum(len(v) if isinstance(v, list) else 1 for labels in expected.values() for v in labels.values())
        check(choices == made_choices, f"every-coder export read back: {choices} choices")
        per_owner = Counter(coder_of[email_of[a["completed_by"]]] for t in back for a in t["annotations"])
        check(per_owner == Counter(c for _, c in expected), f"owners: {dict(sorted(per_owner.items()))}")
        # a follow-up's link is task data Label Studio must keep, or its export loses the context
        sent = {t["data"]["uid"]: t["data"]["follow_up_of"]
                for t in json.loads((exports / "all.json").read_text(encoding="utf-8"))}
        kept = {t["data"]["uid"]: t["data"].get("follow_up_of", "missing") for t in back}
        follow_ups = sum(link is not None for link in sent.values())
        check(kept == sent and follow_ups > 0,
              f"every-coder export read back: data.follow_up_of kept on all {len(kept)} tasks ({follow_ups} follow-ups)")

        # Label Studio's export comes back through merge: by ids with --ls-users, by e-mail from a snapshot
        (work / "ls-export-ids.json").write_bytes(
            api.call("GET", f"/api/projects/{pid}/export?exportType=JSON", raw=True))
        snap = api.call("POST", f"/api/projects/{pid}/exports",
                        {"title": "interop", "serialization_options": {"annotations__completed_by": {"only_id": False}}})
        (work / "ls-export-emails.json").write_bytes(
            api.call("GET", f"/api/projects/{pid}/exports/{snap['id']}/download?exportType=JSON", raw=True))
        ids = ",".join(f"{coder_of[e]}={i}" for i, e in email_of.items() if e in coder_of)
        for name, extra in (("ls-export-emails.json", []), ("ls-export-ids.json", ["--ls-users", ids])):
            target = project.unlabelled(work / f"back-{name}.db", files)
            out = annotator("merge", target, work / name, *extra)
            check(stored_labels(target) == {k: canon(v, order) for k, v in expected.items()},
                  f"merge of Label Studio's {name}: {out.strip().splitlines()[-1].split(': ', 1)[1]}")
        out = annotator("merge", db, work / "ls-export-emails.json", "--json")
        summary = json.loads(out[out.index("{"):])["files"][0]
        check((summary["labels_added"], summary["labels_updated"]) == (0, 0),
              f"merge back into the project itself: {summary['labels_unchanged']} labels unchanged, none added")

        # one coder's export
        _, answer, back = fresh_project("alice", exports / "alice.json")
        mine = {k: v for k, v in expected.items() if k[1] == "alice"}
        owners = {email_of[a["completed_by"]] for t in back for a in t["annotations"]}
        check(answer["annotation_count"] == len(mine) and owners == {project.EMAILS["alice"]},
              f"alice's export: {answer['task_count']} tasks, {answer['annotation_count']} annotations, all hers")

        # no users: every coder's labels are predictions named after the coder
        pid, answer, _ = fresh_project("predictions", exports / "predictions.json")
        snap = api.call("POST", f"/api/projects/{pid}/exports",
                        {"title": "p", "serialization_options": {"predictions": {"only_id": False}}})
        back = json.loads(api.call("GET", f"/api/projects/{pid}/exports/{snap['id']}/download?exportType=JSON", raw=True))
        got = {(t["data"]["uid"], p["model_version"]): canon(labels_of(p["result"], schemes), order)
               for t in back for p in t["predictions"]}
        check(answer["prediction_count"] == n_ann and got == {k: canon(v, order) for k, v in expected.items()},
              f"export without users: {answer['prediction_count']} predictions, model_version = the coder")

        # gold: ground truth, owned by the reviewer
        gold = json.loads((exports / "gold.json").read_text(encoding="utf-8"))
        _, answer, back = fresh_project("gold", exports / "gold.json")
        check(answer["task_count"] == len(gold) and all(
            len(t["annotations"]) == 1 and t["annotations"][0]["ground_truth"]
            and email_of[t["annotations"][0]["completed_by"]] == LEAD for t in back),
            f"gold export: {answer['task_count']} tasks, one ground-truth annotation each, owned by the lead")


# -- spaCy, datasets, Datasette ---------------------------------------------------------------


def spacy_train(work: Path, db: Path) -> None:
    folder = work / "spacy"
    out = annotator("export", db, "--format", "spacy", "--gold", "-o", folder, "--split", "train=0.7,dev=0.15,test=0.15")
    run(sys.executable, "-m", "spacy", "train", "config.cfg", "--paths.train", "train.spacy", "--paths.dev",
        "dev.spacy", "--training.max_epochs", "1", "--output", work / "spacy-model", cwd=folder)
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.load(work / "spacy-model" / "model-last")
    sizes = {n: len(DocBin().from_disk(folder / f"{n}.spacy")) for n in ("train", "dev", "test")}
    check(nlp.pipe_names == [f"textcat_{s}" for s in ("topics", "tone", "question_stance", "rhetoric")],
          f"spacy train ran one epoch on the DocBin split {sizes} ({out.strip().split(';')[0]})")
    doc = nlp("We firmly oppose the arms sales to Taiwan.")
    check(all(k.split(":", 1)[0] in ("topics", "tone", "question_stance", "rhetoric") for k in doc.cats),
          f"the trained pipeline scores {len(doc.cats)} scheme:option labels")


def datasets_load(work: Path, db: Path) -> None:
    os.environ["HF_DATASETS_OFFLINE"] = "1"
    os.environ["HF_HOME"] = str(work / "hf")
    import datasets

    datasets.disable_progress_bars()
    out = annotator("export", db, "-o", work / "native.jsonl", "--gold", "--split", "train=0.8,dev=0.1,test=0.1")
    files = {n: str(work / f"native.{n}.jsonl") for n in ("train", "dev", "test")}
    ds = datasets.load_dataset("json", data_files=files, cache_dir=str(work / "hf-cache"))
    rows = {n: ds[n].num_rows for n in files}
    written = {n: len(Path(f).read_text(encoding="utf-8").splitlines()) for n, f in files.items()}
    check(rows == written and ds["train"].features["date"].dtype.startswith("timestamp"),
          f"datasets loaded the native splits {rows}, date as {ds['train'].features['date'].dtype}")
    del out


def datasette_while_writing(work: Path, db: Path, n_labels: int = 2000) -> None:
    exe = Path(sys.executable).with_name("datasette")
    port = free_port()
    base = f"http://127.0.0.1:{port}/{db.stem}.json"
    sql = "?sql=select+count(*)+as+n+from+labels&_shape=array"
    with Server("Datasette", [str(exe), "serve", str(db), "--host", "127.0.0.1", "--port", str(port)],
                work / "datasette.log", base + sql) as server:
        server.wait_ready(timeout=120)
        seen: list[int] = []
        errors: list[str] = []
        done = threading.Event()

        def read() -> None:
            while not done.is_set() and len(seen) < 10_000:
                try:
                    with urllib.request.urlopen(base + sql, timeout=30) as r:
                        seen.append(json.loads(r.read())[0]["n"])
                except Exception as e:  # noqa: BLE001 -- any failure of the reader is the finding
                    errors.append(repr(e))
                    return

        reader = threading.Thread(target=read)
        reader.start()
        with Store(db) as store:
            before = store.db.execute("SELECT count(*) FROM labels").fetchone()[0]
            ids = [r[0] for r in store.db.execute("SELECT id FROM items ORDER BY id")]
            tone = store.codebook().scheme("tone").values
            for k in range(n_labels):
                store.labels.set(ids[k % len(ids)], f"writer{k // len(ids)}", "tone", tone[k % len(tone)])
            after = store.db.execute("SELECT count(*) FROM labels").fetchone()[0]
        time.sleep(1)
        done.set()
        reader.join(timeout=60)
        with urllib.request.urlopen(base + sql, timeout=30) as r:
            final = json.loads(r.read())[0]["n"]
    check(not errors and after == before + n_labels and final == after and seen == sorted(seen),
          f"Datasette answered {len(seen)} queries while annotator wrote {n_labels} labels (no error; it saw {final})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--label-studio", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args()
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    t0 = time.monotonic()
    files = project.transcripts(CORPUS)
    db = work / "project.db"
    expected = project.build(db, files)
    with Store(db, readonly=True) as store:
        cb = store.codebook()
        schemes = {s.name: s.kind for s in cb.schemes}
        order = {s.name: list(s.values) for s in cb.schemes}
        print(f"..  project: {store.items.count()} items, {len(expected)} (item, coder) labelled, "
              f"{store.gold.count()} gold labels")
    label_studio(args.label_studio.resolve(), work, db, expected, schemes, order, files)
    spacy_train(work, db)
    datasets_load(work, db)
    datasette_while_writing(work, db)
    print(f"..  the round trips took {time.monotonic() - t0:.0f} s")
    print(f"interop: {len(checks)} passed, 0 failed")  # the closing line CI reads


if __name__ == "__main__":
    main()
