"""The aligner against the hand-made truth of twelve dates (``tests/core/alignment_truth/``);
``tests/benchmarks/bench_alignment.py`` prints the same figures as JSON beside zip-by-position."""

from __future__ import annotations

from pathlib import Path

from annotator.core.alignment import align
from tests.core.alignment import truth


def test_the_truth_is_what_it_says(corpus: Path):
    pages = truth.load()
    assert len(pages) >= 10
    assert {p["era"] for p in pages} == {"Q:/问：", "outlet"}
    for page in pages:
        english, chinese = truth.pairs(corpus / "real", page)
        en = {i.seq: " ".join(i.question.split()) for i in english}
        zh = {i.seq: "".join(i.question.split()) for i in chinese}
        for seq, opening in page["english_questions"].items():
            assert en[int(seq)].startswith(opening), (page["date"], seq)
        for seq, opening in page["chinese_questions"].items():
            assert zh[int(seq)].startswith(opening), (page["date"], seq)
        # Every pair of either page is linked or said to be left out, once.
        linked_en = {e for e, _ in page["links"]}
        linked_zh = {z for _, z in page["links"]}
        assert linked_en | set(page["english_alone"]) == set(en) and not linked_en & set(page["english_alone"])
        assert linked_zh | set(page["chinese_alone"]) == set(zh) and not linked_zh & set(page["chinese_alone"])


def test_aligned_pairs_reach_the_goal_on_the_truth(corpus: Path):
    ours, naive = truth.Score(), truth.Score()
    for page in truth.load():
        english, chinese = truth.pairs(corpus / "real", page)
        found = align(english, chinese)
        ours.add(page["links"], {(english[k.english].seq, chinese[k.chinese].seq) for k in found.links})
        naive.add(page["links"], truth.zip_by_position(english, chinese))
    print(f"alignment over {ours.true_links} true links: precision {ours.precision:.4f} recall {ours.recall:.4f}; "
          f"zip by position: precision {naive.precision:.4f} recall {naive.recall:.4f}")
    assert ours.precision >= 0.95 and ours.recall >= 0.95
    # The truth has merges the naive alignment cannot find: it must score below.
    assert naive.recall < ours.recall
