"""The item list model: Qt's own model checks, the rows it shows, and that it holds ids only."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.filters import Filter
from annotator.core.store import Store
from annotator.gui.item_list_model import PAGE, ItemListModel
from tests.helpers import mark_done

pytestmark = pytest.mark.gui


def test_model_passes_qtmodeltester_and_shows_this_coders_status(qtmodeltester, project: Path) -> None:
    with Store(project) as store:
        ids = store.browse.item_ids(Filter(), "alice")
        store.labels.set(ids[0], "alice", "topics", ["taiwan"])
        store.labels.set_flag(ids[1], "alice", True)
        mark_done(store, ids[2], "alice")
        store.labels.set(ids[3], "bob", "topics", ["covid"])
        model = ItemListModel(store, "alice")
        model.set_ids(ids)
        qtmodeltester.check(model, force_py=True)
        rows = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
        assert rows[0] == ["2021-12-09", "Xinhua News Agency", "Wang Wenbin", "labelled"]
        assert [r[3] for r in rows] == ["labelled", "unsure", "done", "", "", "", "", ""]
        assert model.row_of(ids[5]) == 5 and model.row_of(10_000) is None
        mark_done(store, ids[3], "alice")
        model.item_changed(ids[3])
        assert model.index(3, 3).data() == "done"
        cb = store.codebook()  # a required scheme added since: the done items are to do again
        store.set_codebook(type(cb)(cb.name, cb.version, (*cb.schemes, type(cb.schemes[0])(
            "source", "single", "Source", cb.scheme("tone").options, required=True))))
        model.item_changed(ids[3])
        assert model.index(3, 3).data() == "incomplete"


def test_model_over_a_range_fetches_only_visible_pages(project: Path) -> None:
    with Store(project) as store:
        model = ItemListModel(store, "alice")
        model.set_ids(range(1, 1_000_001))  # a million ids cost nothing until painted
        assert model.rowCount() == 1_000_000
        assert model.index(999_999, 0).data() == ""  # no such item in this small project: blank, no error
        assert model.index(0, 1).data() == "Xinhua News Agency"
        assert len(model._pages) == 2 and PAGE == 200
