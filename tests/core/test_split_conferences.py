"""Splits by conference over the real corpus: both languages, copies and near-copies of a
conference always land in one split, whatever the seed; shares are of the records exported,
and a split far from its share says so."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from annotator.core.export import ExportOptions, export
from annotator.core.import_run import import_paths
from annotator.core.store import Store
from tests.helpers import copy_project, read_jsonl, rule_gold

FRACTIONS = {"train": 0.8, "dev": 0.1, "test": 0.1}
SEEDS = range(1, 61)


@pytest.fixture(scope="module")
def bilingual(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 days' press conferences in English and Chinese, a copy of one page in other bytes, and
    a page of another day with one line added (not a copy: its own items, the same conference)."""
    folder = tmp_path_factory.mktemp("split")
    en = {p.name[:10]: p for p in sorted((corpus / "real" / "mfa-en-more").glob("20*.html"))}
    zh = {p.name[:10]: p for p in sorted((corpus / "real" / "mfa-zh-more").glob("20*.html"))}
    days = sorted(set(en) & set(zh))[::12][:30]
    assert len(days) == 30
    files = [f for day in days for f in (en[day], zh[day])]
    copy = folder / "copy.html"
    copy.write_bytes(b"<!-- saved again -->\r\n" + en[days[3]].read_bytes().replace(b"\n", b"\r\n"))
    near = folder / "near.html"
    page = en[days[7]].read_text(encoding="utf-8")
    last = page.rindex("<P ")  # a question and answer added before the page's last paragraph
    near.write_text(page[:last] + "<P>Q: One more question, added by hand?</P><P>A: One more answer.</P>" + page[last:],
                    encoding="utf-8")
    db = folder / "p.db"
    with Store(db, create=True) as store:
        first = import_paths(store, files)
        then = import_paths(store, [copy, near])
        assert not first.failed and not then.failed and len(then.copies) == 1 and then.imported_files == 1
        assert len(first.conferences) == 30 and then.conferences <= first.conferences  # both joined their day's
        rule_gold(store)
        store.checkpoint()
    return db


def _conference_of(store: Store) -> dict[str, str]:
    """{source sha256: conference id}."""
    return {s.sha256: s.conference_id for c in store.conferences.listing() for s in store.conferences.sources(c.id)}


def test_no_conference_is_in_two_splits_over_many_seeds(bilingual, tmp_path) -> None:
    with Store(bilingual) as store:
        conference_of = _conference_of(store)
        languages = Counter(s.language for c in store.conferences.listing() for s in store.conferences.sources(c.id))
        assert languages["en"] >= 31 and languages["zh"] == 30
        seen_splits = Counter()
        for seed in SEEDS:
            out = tmp_path / f"s{seed}.jsonl"
            summary = export(store, ExportOptions(selection="gold", split=FRACTIONS, seed=seed), out)
            owner: dict[str, str] = {}
            for name in FRACTIONS:
                for rec in read_jsonl(tmp_path / f"s{seed}.{name}.jsonl"):
                    conference = conference_of[rec["source"]["sha256"]]
                    assert owner.setdefault(conference, name) == name, (seed, conference)
            assert len(owner) == 30 and sum(summary.per_split.values()) == summary.written
            seen_splits.update(set(owner.values()))
        assert set(seen_splits) == set(FRACTIONS)


def test_the_same_seed_gives_the_same_split_and_shares_are_of_the_records_exported(bilingual, tmp_path) -> None:
    with Store(bilingual) as store:
        a = export(store, ExportOptions(selection="gold", split=FRACTIONS, seed=9), tmp_path / "a.jsonl")
        b = export(store, ExportOptions(selection="gold", split=FRACTIONS, seed=9), tmp_path / "b.jsonl")
        assert a.per_split == b.per_split
        for name in FRACTIONS:
            assert (tmp_path / f"a.{name}.jsonl").read_bytes() == (tmp_path / f"b.{name}.jsonl").read_bytes()
        # 30 conferences of ~25 records each: every share within 5 points, no warning
        assert a.split_warnings == []
        total = sum(a.per_split.values())
        for name, frac in FRACTIONS.items():
            assert abs(a.per_split[name] / total - frac) <= 0.05, a.per_split


def test_a_split_that_cannot_meet_its_share_says_so(bilingual, tmp_path) -> None:
    with Store(copy_project(bilingual, tmp_path / "few.db")) as store:
        # gold on two conferences only: whole conferences cannot give 10% to dev and test
        keep = [c.id for c in store.conferences.listing()][:2]
        ids = [i for i, cid in store.conferences.by_item().items() if cid not in keep]
        store.db.execute(f"DELETE FROM gold WHERE item_id IN ({','.join(map(str, ids))})")
        summary = export(store, ExportOptions(selection="gold", split=FRACTIONS, seed=1), tmp_path / "few.jsonl")
        assert sum(summary.per_split.values()) == summary.written > 0
        assert summary.split_warnings, summary.per_split
        assert any("is empty" in w and f"{summary.written} records in 2 conferences" in w for w in summary.split_warnings)


def test_one_languages_split_weighs_only_the_records_of_that_language(bilingual, tmp_path) -> None:
    with Store(copy_project(bilingual, tmp_path / "en.db")) as store:
        # English gold on two conferences only, Chinese gold on all thirty: an English export
        # cannot give 10% to dev and test, whatever the Chinese records would have made of it
        keep = [c.id for c in store.conferences.listing()][:2]
        by_item = store.conferences.by_item()
        english = {i for i, in store.db.execute(
            "SELECT i.id FROM items i JOIN sources s ON s.id = i.source_id WHERE s.language = 'en'").fetchall()}
        ids = [i for i, cid in by_item.items() if cid not in keep and i in english]
        store.db.execute(f"DELETE FROM gold WHERE item_id IN ({','.join(map(str, ids))})")
        summary = export(store, ExportOptions(selection="gold", split=FRACTIONS, seed=1, language="en"),
                         tmp_path / "en.jsonl")
        assert sum(summary.per_split.values()) == summary.written > 0
        assert sum(1 for n in summary.per_split_conferences.values() if n) <= 2, summary.per_split_conferences
        assert any("is empty" in w and f"{summary.written} records in 2 conferences" in w
                   for w in summary.split_warnings), summary.split_warnings
