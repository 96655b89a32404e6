"""What the coding window does, without Qt: one coder's session over one project.

The window shows and wires; this decides. A ``CodingSession`` holds the item on
screen and the coder's annotation of it, the list of items the filter gives and
what "next" means in it, the writes the database has refused so far (kept in
order, retried, shown as if written), and the seconds spent on each item.

Every change goes to the store at once; what cannot be written yet waits. A write
that fails because the database is locked, read-only or gone is not dropped: it
joins a queue, ``on_problem`` says why, and the queue is retried (the window's
timer calls ``flush`` every ``RETRY_S`` seconds) and before the next change, in
order. Queued writes are absolute ("topics is now [taiwan]"), not toggles, so
retrying one twice is harmless.

Nothing here needs a display: ``tests/core/test_session.py`` drives it with a
clock of its own.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core import unwritten
from annotator.core.errors import AnnotatorError, CodebookRefuses, Incomplete
from annotator.core.filters import ORDERS, Filter
from annotator.core.model import ordering
from annotator.core.model.screen import OnScreen
from annotator.core.name_groups import OUTLET, SPOKESPERSON, NameGroup
from annotator.core.records import Annotation, Change, history_field, timestamp
from annotator.core.store import Store
from annotator.core.store.errors import TRY_AGAIN
from annotator.core.store.orders import SortedIds
from annotator.core.unwritten import Op
from annotator.core.validate import row_number
from annotator.core.wording import plural

if TYPE_CHECKING:
    from annotator.core.import_run import ImportSummary

RETRY_S = 2  # how often writes the database refused are tried again
_KIND_NAMES = {"qa": "question-answer pairs", "statement": "statements", "reported": "reported remarks"}
IDLE_CAP_S = 300.0  # a coder who walks away is not coding: one stretch on an item counts at most 5 minutes
MIN_STRETCH_S = 1.0  # passing over an item on the way to another is not time spent on it

PROJECT, ASSIGNMENT, FILTER = "project", "assignment", "filter"


class WritesWaiting(Exception):
    """Undo, redo and export wait until every change queued before them is written."""


def scope(flt: Filter) -> str:
    """What the coder walks through: the whole project, their assignment, or a filter of their own."""
    if flt.is_empty:
        return PROJECT
    return ASSIGNMENT if flt == Filter(assigned=True) else FILTER


def coders_to_offer(store: Store, remembered: str | None) -> list[str] | None:
    """Who is coding, when the window is opened without ``--coder``: None when the remembered
    name has coded in (or been assigned items of) this project, so it is no guess; else the
    names to offer, the remembered one first, then the project's coders and assignees."""
    known = sorted(set(store.labels.coders()) | set(store.assignments.counts()))
    if remembered and remembered in known:
        return None
    return ([remembered] if remembered else []) + [c for c in known if c != remembered]


def row_of(ids: Sequence[int], item_id: int) -> int | None:
    """The row of ``item_id`` in ``ids`` (ascending ids, or a ``SortedIds``): never a scan of a million ids."""
    row = insertion_row(ids, item_id)
    return row if row < len(ids) and ids[row] == item_id else None


def insertion_row(ids: Sequence[int], item_id: int) -> int:
    """Where ``item_id`` would sit in ``ids``: a binary search on ascending ids, else the sorted
    list's own answer; next and previous work from an item outside them."""
    return ids.insertion_row(item_id) if isinstance(ids, SortedIds) else bisect_left(ids, item_id)


@dataclass(frozen=True)
class Listing:
    """The items of the filter in force: in import order ascending ids (a ``range`` or an
    ``array``, never a list of a million ints), in another order a ``SortedIds`` that reads them
    as they are shown."""

    ids: Sequence[int]
    base_count: int  # items in the filter ignoring its status: what "left in the filter" counts down from
    order: str = "import"  # one of filters.ORDERS

    def __len__(self) -> int:
        return len(self.ids)

    def id_at(self, row: int) -> int | None:
        return self.ids[row] if 0 <= row < len(self.ids) else None

    def row_of(self, item_id: int) -> int | None:
        return row_of(self.ids, item_id)

    def neighbour(self, item_id: int, step: int) -> int | None:
        """The item ``step`` rows from ``item_id`` (+1 next, -1 previous); None past either end.
        An item outside the list steps to the items either side of where it would be."""
        row = self.row_of(item_id)
        if row is None:
            at = insertion_row(self.ids, item_id)
            row = at - 1 if step > 0 else at
        return self.id_at(row + step)


@dataclass(frozen=True)
class Progress:
    """This coder's own figures: items labelled (or marked done) of their assignment when they
    have one, else of the project's; what is left in the filter; from the label history, items
    finished today and in the last hour (the pace a coder on a quota keeps by hand otherwise)."""

    labelled: int
    total: int
    left: int | None  # unlabelled items left in the filter; None until the list is loaded
    seconds: float  # time spent on items, all sessions
    of: str = PROJECT  # what ``total`` counts: PROJECT or the coder's ASSIGNMENT
    today: int = 0  # items marked done since local midnight (and still done)
    last_hour: int = 0  # items marked done in the last 60 minutes (and still done)

    @property
    def per_hour(self) -> float | None:
        """Pace, once there is a minute of coding to measure it by."""
        if self.seconds < 60 or not self.labelled:
            return None
        return self.labelled / (self.seconds / 3600)

    @property
    def hours_left(self) -> float | None:
        """What is left of ``total`` at the last hour's pace; None without a pace to go by."""
        if not self.last_hour:
            return None
        return max(self.total - self.labelled, 0) / self.last_hour


def since_midnight(wall: datetime) -> str:
    """The start of ``wall``'s local day (an aware datetime), as the label history writes times."""
    return timestamp(wall.astimezone().replace(hour=0, minute=0, second=0, microsecond=0))


@dataclass(frozen=True)
class Position:
    """Where the shown item sits: in its conference, and in the list the coder walks through."""

    kind: str
    in_conference: int  # counted among the conference's items in the item's language
    conference_size: int
    row: int | None  # 0-based row in the list; None when the item is outside it
    rows: int | None  # rows in the list; None until the list is loaded
    scope: str  # PROJECT, ASSIGNMENT or FILTER
    language: str | None = None  # the item's ('en', 'zh'; None: not known)
    other_versions: tuple[tuple[str | None, int], ...] = ()  # (language, items) of the conference's others


def _nothing(*_args: Any) -> None:
    pass


class CodingSession:
    """One coder coding one project: the item on screen, its annotation, pending writes, seconds, next.

    The window listens through four callbacks (plain callables, so no Qt is needed):
    ``on_written(op, change)`` after each queued write lands, ``on_problem(message)``
    when writes start waiting (why) and when they are all written again (""),
    ``on_store_changed(store)`` after the project was opened again, and
    ``on_seconds_waiting()`` when time spent on an item was set aside to write later
    (the window writes it off the key-press path with ``flush_seconds``).
    """

    def __init__(self, store: Store, coder: str, *, reopen: Callable[[], Store] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.store = store
        self.coder = coder
        self.reopen = reopen
        self.codebook = store.codebook()
        self.assignable = store.assignments.has(coder)
        self.flt = Filter()
        self.order = "import"  # the list's order (filters.ORDERS)
        self.listing: Listing | None = None
        self.total = store.items.count()  # items in the project: counted again when the list loads
        self.item: dict[str, Any] | None = None
        self.annotation = Annotation()
        self.shown = False  # the item is on screen: only then may a key change it
        self.pending: list[Op] = []
        self.problem = ""  # why writes are waiting; "" when none do
        self.dropped = ""  # why the last write the codebook refused was dropped (``flush``); the window says it
        self.keep_folder: Path | None = None  # where waiting writes are kept (``write_kept`` names it)
        self._kept: Path | None = None  # the file holding the writes waiting now, if any
        self._conferences: dict[int, dict[str, Any]] = {}
        self._clock = clock
        self._wall = wall  # the time of day, for today's count and the last hour's pace
        self._since = clock()
        self._unsaved_seconds: dict[int, float] = {}
        self.suggestions = OnScreen(store)  # what the model suggests for the item on screen
        self.on_written: Callable[[Op, Change | None], None] = _nothing
        self.on_problem: Callable[[str], None] = _nothing
        self.on_store_changed: Callable[[Store], None] = _nothing
        self.on_seconds_waiting: Callable[[], None] = _nothing

    # -- starting ---------------------------------------------------------------------

    def write_kept(self, folder: Path) -> str:
        """Changes an earlier window could not write before it closed: written now, before
        anything is shown, so the coder sees them in place. Returns what to tell the coder.
        ``folder`` is also where this session keeps its own writes while they wait (``_keep``)."""
        self.keep_folder = folder
        told = []
        for path in unwritten.kept_for(folder, self.store.path, self.coder):
            try:
                n = unwritten.write_kept(self.store, self.coder, path)
            except AnnotatorError as e:
                told.append(str(e))
                continue
            told.append(f"Wrote {plural(n, 'change')} kept from an earlier session ({path.name})")
        return "; ".join(told)

    def follow_assignment(self, saved: Filter | None, assignments_known: bool) -> None:
        """Start from the filter the coder left (``saved``). A coder with an assignment follows it
        unless they turned it off after it was first offered (``assignments_known``); a filter
        that kept to an assignment the lead has since withdrawn lets go of it."""
        flt = saved or Filter()
        if self.assignable and not assignments_known:
            flt = replace(flt, assigned=True)
        elif not self.assignable and flt.assigned:
            flt = replace(flt, assigned=False)
        self.flt = flt

    def first_item(self, saved: int | None) -> int | None:
        """The item to open with: the one the coder left, else their first assigned item not
        done (or any assigned one), else the project's first; None in an empty project."""
        if self.total == 0:
            return None
        item_id = saved
        if (item_id is None or self.store.items.get(item_id) is None) and self.flt.assigned:
            item_id = (self.store.assignments.next_item(self.coder)
                       or self.store.assignments.next_item(self.coder, undone_only=False))
        if item_id is None or self.store.items.get(item_id) is None:
            item_id = self.store.items.first_id()
        return item_id

    # -- the list -----------------------------------------------------------------------

    @property
    def list_loaded(self) -> bool:
        return self.listing is not None

    def load_list(self, flt: Filter, order: str | None = None) -> Listing:
        """The items in ``flt`` become the list the coder walks through, in ``order`` (one of
        ``filters.ORDERS``; the list's own when None). AnnotatorError if the query fails (a
        search FTS cannot parse, a database gone): then nothing changes."""
        order = order or self.order
        browse = self.store.browse
        ids = browse.item_ids(flt, self.coder) if order == "import" else browse.sorted_ids(flt, self.coder, order)
        base = browse.count(flt.without_status(), self.coder) if flt.status else len(ids)
        self.flt = flt
        self.order = order
        self.total = len(ids) if flt.is_empty else self.store.items.count()
        self.listing = Listing(ids, base, order)
        return self.listing

    def keep_order(self, order: str | None) -> None:
        """Start with the list in the order the coder left it in (``filters.ORDERS``; anything
        else, a setting from another version, is import order)."""
        self.order = order if order in ORDERS else "import"

    def goto(self, text: str) -> int | None:
        """The item Ctrl+G names: its row in the list ("12"), its number in its conference
        ("c3": the third pair of the conference on screen), or its uid; None if nothing is."""
        text = text.strip()
        if not text:
            return None
        if (row := row_number(text)) is not None and self.listing is not None:
            return self.listing.id_at(row - 1)
        if text[:1] in "cC" and (position := row_number(text[1:])) is not None and self.item is not None:
            return self.store.items.at_position(self.item["source_id"], position)
        return self.store.items.id_for_uid(text)

    def names(self) -> tuple[list[NameGroup], list[NameGroup]]:
        """The project's outlets and spokespersons, each once whatever its spellings, with their
        item counts, for the filters."""
        return self.store.items.names(OUTLET), self.store.items.names(SPOKESPERSON)

    def progress(self) -> Progress:
        """The coder's own figures (``Progress``): of their assignment when they have one."""
        p = self.store.browse.progress(self.coder)
        wall = self._wall()
        browse = self.store.browse
        today = browse.finished_since(self.coder, since_midnight(wall))
        hour = browse.finished_since(self.coder, timestamp(wall - timedelta(hours=1))) if today else 0
        if self.assignable:
            mine = Filter(assigned=True)
            return Progress(browse.count_labelled(mine, self.coder), browse.count(mine, self.coder),
                            self._left_in_filter(), p["seconds"], ASSIGNMENT, today, hour)
        return Progress(p["labelled"], self.total, self._left_in_filter(), p["seconds"], PROJECT, today, hour)

    def _left_in_filter(self) -> int | None:
        """Unlabelled items in the filter, counted from the coder's labels (small) rather than the items (large)."""
        if self.listing is None:
            return None
        if self.flt.status == "labelled":
            return 0
        if self.flt.status == "flagged":
            return self.store.browse.count(self.flt, self.coder) - self.store.browse.count_labelled(self.flt, self.coder)
        if self.flt.status == "look again":  # labelled, all of them: each is left until marked done again
            return self.store.browse.count(self.flt, self.coder)
        base = self.flt.without_status()
        return max(self.listing.base_count - self.store.browse.count_labelled(base, self.coder), 0)

    # -- the item on screen ---------------------------------------------------------------

    def open(self, item_id: int) -> bool:
        """Put ``item_id`` on screen with this coder's annotation (and nobody else's); the item
        shown before is left (its seconds set aside). False, and nothing changes, if there is no such item."""
        if self.item is not None and self.item["id"] != item_id:
            self.leave()
        item = self.store.items.get(item_id)
        if item is None:
            return False
        self.item = item
        self.annotation = self.store.labels.annotation(item_id, self.coder)
        self._apply_pending(self.annotation, item_id)
        self.suggestions.show(item_id, self.schemes_shown())
        self.shown = True
        # The clock starts again even when the same item is shown again (a filter change
        # keeping it): the window has always counted from the last time it showed the item.
        self._since = self._clock()
        return True

    def reread(self) -> bool:
        """The item on screen's annotation read again from the project, for when another program
        may have written it (a merge of the coder's other laptop while this window waited in the
        background): True if what the coder sees has changed. The clock is not started again."""
        if not self.shown or self.item is None:
            return False
        try:
            if self.store.items.get(self.item["id"]) is None:
                return False  # merged away by another program: the next write says so (ItemGone)
            now = self.store.labels.annotation(self.item["id"], self.coder)
        except AnnotatorError:
            return False  # a project that cannot be read now keeps what is on screen; a write says why
        self._apply_pending(now, self.item["id"])
        seen = self.annotation
        if (now.labels, now.note, now.flag, now.done) == (seen.labels, seen.note, seen.flag, seen.done):
            return False
        self.annotation = now
        return True

    def codebook_changed(self) -> bool:
        """Whether the project's codebook is no longer the one this window opened with (another
        program ran ``codebook --set``): its keys, options and schemes are the old ones until the
        project is opened again."""
        try:
            return self.store.codebook_now().to_json() != self.codebook.to_json()
        except AnnotatorError:
            return False

    def hide(self) -> None:
        """Nothing is on screen (no item matches): no key may change an item the coder cannot see."""
        self.shown = False
        self.suggestions.clear()

    def _apply_pending(self, ann: Annotation, item_id: int) -> None:
        """Writes still queued are what the coder did: show them, not the stale database."""
        for op in self.pending:
            if op.item_id != item_id:
                continue
            if op.kind in ("label", "labels"):
                for scheme, value in (op.value.items() if op.kind == "labels" else [(op.scheme, op.value)]):
                    if scheme is None:
                        continue
                    if value is None:
                        ann.labels.pop(scheme, None)
                    else:
                        ann.labels[scheme] = value
            elif op.kind in ("note", "flag", "done"):
                setattr(ann, op.kind, op.value)
                if op.kind == "done" and op.value and self.item is not None:
                    self._empty_sets(ann, self.item["kind"])

    def _empty_sets(self, ann: Annotation, kind: str) -> None:
        """What marking done writes beside the mark (``store.labels.set_done``): "none of these"
        for each multi-choice scheme on screen with nothing ticked."""
        for s in self.codebook.applying(kind):
            if s.multi and s.name not in ann.labels:
                ann.labels[s.name] = []

    def schemes_shown(self) -> list[str]:
        """The schemes the window shows for the item on screen: those that apply to its kind."""
        if self.item is None:
            return [s.name for s in self.codebook.schemes]
        return [s.name for s in self.codebook.applying(self.item["kind"])]

    def not_applicable(self, scheme: str) -> str | None:
        """Why a key of ``scheme`` does nothing on the item on screen (None: it would do something):
        the scheme does not apply to the item's kind, so the window does not show it."""
        sch = self.codebook.scheme(scheme)
        if sch is None or self.item is None or sch.applies(self.item["kind"]):
            return None
        return f"{sch.title} does not apply to {_KIND_NAMES.get(self.item['kind'], self.item['kind'])}"

    def conference(self) -> dict[str, Any]:
        """The shown item's conference (title, file name, date), read once per conference."""
        assert self.item is not None
        source_id = self.item["source_id"]
        conf = self._conferences.get(source_id)
        if conf is None:
            conf = self._conferences[source_id] = self.store.items.conference(source_id)
        return conf

    def position(self) -> Position:
        assert self.item is not None
        item_id = self.item["id"]
        pos, count = self.store.items.position(item_id)
        language, others = self.store.items.versions(item_id)
        listing = self.listing
        row, rows = (None, None) if listing is None else (listing.row_of(item_id), len(listing))
        return Position(self.item["kind"], pos, count, row, rows, scope(self.flt), language, tuple(others))

    def context(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The pairs just before and after the shown item in its conference."""
        assert self.item is not None
        return self.store.items.context(self.item["id"])

    # -- coding ---------------------------------------------------------------------------

    def toggle(self, scheme: str, option: str, *, write: bool = True) -> bool:
        """An option's key or box: a multi-choice option joins or leaves the set (unticking the
        last is no label again), a single-choice one becomes the value or, if it was, clears it.
        False when nothing changed (no item on screen, a scheme the codebook lacks or one that
        does not apply to the item: ``not_applicable`` says why). ``write=False`` only queues the
        write, for a caller that shows the change as not yet written and then calls ``flush``
        before it handles anything else (the window: its frame does not wait on the disk)."""
        sch = self.codebook.scheme(scheme)
        if self.item is None or not self.shown or sch is None or not sch.applies(self.item["kind"]):
            return False
        new = sch.toggle(self._stored(scheme, self.annotation.labels.get(scheme)), option)
        orphans = set(sch.unknown(new))
        if orphans and isinstance(new, list):
            # an option the codebook no longer has (a merge told to --force) cannot be written
            # back; it leaves the value when the coder changes it, as the window always did
            new = [v for v in new if v not in orphans] or None
        if new is None:
            self.annotation.labels.pop(scheme, None)
        else:
            self.annotation.labels[scheme] = new
        self._submit(Op("label", self.item["id"], new, scheme=scheme), write=write)
        return True

    def _stored(self, fld: str, shown: Any) -> Any:
        """The value a key toggles: the project's now, not the one read when the item was shown --
        another window or program may have changed it since (the same coder on a second window:
        its key would otherwise write its stale value over the newer one). With changes still
        queued, the value on screen is the newer one."""
        if self.pending or self.item is None:
            return shown
        try:
            return self.store.labels.value_of(self.item["id"], self.coder, fld)
        except AnnotatorError:
            return shown  # the write that follows says what is wrong

    def accept_suggestions(self) -> list[str]:
        """The coder takes the suggestions shown for the item, every scheme at once (one write,
        one undo step): returns the schemes whose value changed ([] when none was shown or all
        were already so)."""
        if self.item is None or not self.shown:
            return []
        changed = {name: s.value for name, s in self.suggestions.shown.items()
                   if not self.codebook.scheme(name).same(self.annotation.labels.get(name), s.value)}
        if not changed:
            return []
        self.annotation.labels.update(changed)
        self._submit(Op("labels", self.item["id"], changed))
        return list(changed)

    def toggle_flag(self) -> bool:
        if self.item is None or not self.shown:
            return False
        self.annotation.flag = not self._stored(history_field("flag"), self.annotation.flag)
        self._submit(Op("flag", self.item["id"], self.annotation.flag))
        return True

    def set_note(self, text: str) -> None:
        """The note field's text: written if it differs from the note the item has."""
        if self.item is not None and self.shown and text != self.annotation.note:
            self.annotation.note = text
            self._submit(Op("note", self.item["id"], text))

    def done_and_next(self) -> int | None:
        """Mark the shown item done; the next item in the filter this coder has not labelled
        (wrapping round once), or None when there is none (or no item is on screen).

        Refused, with nothing marked, while a required scheme on screen has no value (for a
        multi-choice one: no option ticked): ``Incomplete`` says which, and names the first
        for the window to move to. Marked done, each multi-choice scheme on screen with
        nothing ticked is "none of these" (the store writes it with the mark, one undo step);
        pressed again on a done item, it writes that for a scheme added since.
        AnnotatorError if the database cannot say what is next."""
        if self.item is None or not self.shown:
            return None
        item_id = self.item["id"]
        unmet = self.codebook.unmet(self.item["kind"], self.annotation.labels)
        if unmet:
            titles = [s.title for s in unmet]
            said = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " and " + titles[-1]
            raise Incomplete(f"Not done: {said} {'needs' if len(titles) == 1 else 'need'} a value first",
                             unmet[0].name)
        self.annotation.done = True
        self._empty_sets(self.annotation, self.item["kind"])
        self._submit(Op("done", item_id, True))
        if self.listing is not None and self.listing.order != "import":
            return self._next_unlabelled_in_list(item_id)
        return self.next_after(item_id)

    def next_after(self, item_id: int) -> int | None:
        """What Enter goes to after ``item_id``: the next item not done in the filter; in the
        coder's assignment, in the order the lead chose (``model.ordering``: the document's by
        default; the reliability sample always in the document's)."""
        order = self.suggestions.order
        if order == "document" or scope(self.flt) != ASSIGNMENT:
            return self.store.browse.next_unlabelled(self.flt, self.coder, item_id)
        candidates = self.store.browse.next_unlabelled_ids(self.flt, self.coder, item_id, ordering.window(order))
        return ordering.choose(candidates, order, self.store.assignments.in_overlap, self.suggestions.uncertainty())

    def _next_unlabelled_in_list(self, item_id: int) -> int | None:
        """"Next" in a sorted list: the first row after this item's (wrapping round once) that
        this coder has not labelled; the labelled set is theirs, so small."""
        assert self.listing is not None
        ids = self.listing.ids
        labelled = self.store.browse.labelled_ids(self.coder) | {item_id}
        start = self.listing.row_of(item_id)
        start = insertion_row(ids, item_id) - 1 if start is None else start
        n = len(ids)
        for step in range(1, n + 1):
            candidate = ids[(start + step) % n]
            if candidate not in labelled:
                return candidate
        return None

    def undo(self) -> Change | None:
        """Undo this coder's latest change still in effect (on any item); None if there is none."""
        return self._undo_or_redo(self.store.labels.undo)

    def redo(self) -> Change | None:
        return self._undo_or_redo(self.store.labels.redo)

    def _undo_or_redo(self, step: Callable[..., Change | None]) -> Change | None:
        # the store's history is the order of what was written: a change still queued would
        # be undone out of turn, so undo and redo wait for the queue
        if not self.flush():
            raise WritesWaiting()
        record = self.suggestions.record
        shown = (self.item["id"], record) if self.item is not None and self.shown and record else None
        return step(self.coder, shown=shown)

    # -- seconds --------------------------------------------------------------------------

    def _take_seconds(self) -> float:
        t = self._clock()
        spent, self._since = min(t - self._since, IDLE_CAP_S), t
        return round(spent, 3)

    def leave(self) -> None:
        """The coder leaves the shown item: the time on it is set aside (``on_seconds_waiting``)."""
        if self.item is None:
            return
        spent = self._take_seconds()
        if spent >= MIN_STRETCH_S:
            key = self.item["id"]
            self._unsaved_seconds[key] = self._unsaved_seconds.get(key, 0.0) + spent
            self.on_seconds_waiting()

    def flush_seconds(self) -> None:
        """Write the time set aside. Batched off the key-press path: a commit per item stepped
        over would slow navigation."""
        while self._unsaved_seconds:
            item_id, spent = self._unsaved_seconds.popitem()
            self.submit(Op("seconds", item_id, seconds=spent))

    # -- writing --------------------------------------------------------------------------

    def _submit(self, op: Op, *, write: bool = True) -> None:
        # a change carries the time since the last one on its item, and any set aside for it
        op.seconds += self._take_seconds() + self._unsaved_seconds.pop(op.item_id, 0.0)
        # and the suggestions the coder had in front of them as they made it (None: none shown)
        if self.item is not None and op.item_id == self.item["id"]:
            op.suggested = self.suggestions.record
        if write:
            self.submit(op)
        else:
            self.pending.append(op)  # behind any still waiting: ``flush`` writes them in order

    def submit(self, op: Op) -> bool:
        """Write ``op`` now, or queue it behind earlier ops still waiting. True if written."""
        if op.kind == "note":
            # only the newest text of a note matters; keep its place in the queue
            for i, queued in enumerate(self.pending):
                if queued.kind == "note" and queued.item_id == op.item_id:
                    self.pending[i] = Op("note", op.item_id, op.value, seconds=queued.seconds + op.seconds,
                                         suggested=op.suggested)
                    self.flush()
                    return not self.pending
        self.pending.append(op)
        self.flush()
        return op not in self.pending

    def flush(self) -> bool:
        """Write what is queued, oldest first; stop at the first refusal. True when nothing waits."""
        while self.pending:
            op = self.pending[0]
            try:
                self.store.ensure_present()
                change = op.apply(self.store, self.coder)
            except CodebookRefuses as e:
                # A write the project's codebook no longer allows (changed under the window): a
                # done mark, a label of a scheme that no longer applies, an option it dropped.
                # Nothing to retry; ``dropped`` says why, for the window to show what was written.
                self.pending.pop(0)
                self.dropped = str(e)
                continue
            except AnnotatorError as e:
                if not self._try_reopen():
                    self._fail(str(e))
                    return False
                continue
            self.pending.pop(0)
            if self._kept is not None:
                self._keep()  # the file holds what still waits, so a crash now writes nothing twice
            self.on_written(op, change)
        if self._kept is not None:
            self._keep()  # nothing waits: the file goes
        if self.problem:
            self.problem = ""
            self.on_problem("")
        return True

    def _fail(self, message: str) -> None:
        n = len(self.pending)
        # the session retries by itself: the command line's "try again" would have the coder press again
        self.problem = f"{message.removesuffix(TRY_AGAIN)}. {plural(n, 'change')} kept and retried every {RETRY_S} s."
        self._keep()
        self.on_problem(self.problem)

    def _keep(self) -> None:
        """The writes waiting now, in the file the next window writes first (``unwritten``): "kept"
        must hold if the window never closes (kill -9, a crash, the power): memory alone lost them.
        The file goes once nothing waits. Best effort: a disk too full for the file keeps them in
        memory still, as before, and the window's close tries again."""
        if self.keep_folder is None:
            return
        try:
            if not self.pending:
                if self._kept is not None:
                    self._kept.unlink(missing_ok=True)
                    self._kept = None
                return
            self._kept = unwritten.keep(self.keep_folder, self.store.path, self.coder, self.pending, path=self._kept)
        except OSError:
            pass

    def _try_reopen(self) -> bool:
        """A read-only, vanished or replaced file: open the project again if it is back and writable."""
        if self.reopen is None:
            return False
        try:
            self.store.ensure_present()
            if not self.store.readonly:
                return False
        except AnnotatorError:
            pass
        try:
            store = self.reopen()
        except AnnotatorError:
            return False
        old, self.store = self.store, store
        old.close()
        self.suggestions.reload(store)
        self.on_store_changed(store)
        return True

    def finish(self) -> bool:
        """The window closes: leave the item, write its seconds and whatever waits. True when nothing waits."""
        self.leave()
        self.flush_seconds()
        return self.flush()

    def keep_pending(self, folder: Path) -> Path | None:
        """Last resort when the window closes with writes still refused: keep them in a file,
        which the next window on this project for this coder writes first."""
        if not self.pending:
            return None
        same = self._kept if self._kept is not None and self._kept.parent == folder else None
        self._kept = None  # the file is the next window's now
        return unwritten.keep(folder, self.store.path, self.coder, self.pending, path=same)

    # -- importing ------------------------------------------------------------------------

    def import_files(self, paths: list[Path], progress: Callable[[int, int, Path], bool]) -> ImportSummary:
        """File > Import: the transcripts under ``paths`` join the project;
        the list is read again before it is walked through."""
        from annotator.core.import_run import import_paths  # not needed to open the window

        summary = import_paths(self.store, paths, progress=progress)
        self._conferences.clear()
        self.listing = None
        return summary
