"""``store.conferences``: briefings, the sources each holds, and the lead's corrections.

The Python API other code reads (the alignment of languages, splits, agreement):

- ``listing()`` every conference with its source and item counts (``records.Conference``);
  ``listed()`` each of them with its sources;
- ``get(id)`` one of them, or None; ``facts(id)`` its ``ConferenceFacts``;
- ``sources(id)`` the sources of one conference, each with its language (``ConferenceSource``);
- ``of_source(source_id)``, ``of_item(item_id)`` the conference id of a source or an item;
  ``by_item()`` {item id: conference id} for every item;
- ``link(source, conference, coder)``, ``unlink(source, coder)`` the lead's corrections, each a
  ``conference_events`` row (who, when, from, to); ``events()`` that history.

``claim`` is what ``items.add_source`` asks before writing a source: the conference it joins
(and, for a copy, the source it repeats), or one clear line when another briefing holds the id.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from annotator.core.conferences import ConferenceFacts, clash, conference_id, describe, own_conference_id
from annotator.core.errors import AnnotatorError
from annotator.core.items import PreparedSource
from annotator.core.records import Conference, ConferenceEvent, ConferenceSource, now, validate_coder
from annotator.core.store.part import Part
from annotator.core.validate import row_number
from annotator.core.wording import plural

_CONFERENCE_COLUMNS = "c.id, c.body, c.date, c.kind, c.spokespersons, c.speaker, c.subject"
_LISTING = f"""
    SELECT {_CONFERENCE_COLUMNS}, count(s.id), coalesce(sum(n.items), 0)
    FROM conferences c LEFT JOIN sources s ON s.conference_id = c.id
    LEFT JOIN (SELECT source_id, count(*) AS items FROM items GROUP BY source_id) n ON n.source_id = s.id
"""
_SOURCE_COLUMNS = """s.id, s.name, s.sha256, s.title, s.date, s.language,
    (SELECT count(*) FROM items i WHERE i.source_id = s.id), s.copy_of, s.conference_id"""


def _conference(row: tuple[Any, ...]) -> Conference:
    cid, body, date, kind, spokespersons, speaker, subject, sources, items = row
    return Conference(cid, body, date, kind, json.loads(spokespersons), speaker, subject, sources, items)


class Conferences(Part):
    """``store.conferences``: see the module's docstring."""

    # -- reads ------------------------------------------------------------------------------

    def listing(self) -> list[Conference]:
        """Every conference, by date (undated last), with its source and item counts."""
        return [_conference(r) for r in self._store.query(
            _LISTING + " GROUP BY c.id ORDER BY c.date IS NULL, c.date, c.id", [])]

    def listed(self) -> list[tuple[Conference, list[ConferenceSource]]]:
        """Every conference (as ``listing``) with its sources (as ``sources``), in two reads."""
        by_conference: dict[str, list[ConferenceSource]] = {}
        for r in self._store.query(f"SELECT {_SOURCE_COLUMNS} FROM sources s ORDER BY s.id", []):
            source = ConferenceSource(*r)
            by_conference.setdefault(source.conference_id, []).append(source)
        return [(c, by_conference.get(c.id, [])) for c in self.listing()]

    def get(self, conference_id: str) -> Conference | None:
        row = self._store.query(_LISTING + " WHERE c.id = ? GROUP BY c.id", [conference_id]).fetchone()
        return _conference(row) if row else None

    def facts(self, conference_id: str) -> ConferenceFacts | None:
        row = self._store.query(
            "SELECT body, date, kind, spokespersons, speaker, subject FROM conferences WHERE id = ?",
            [conference_id]).fetchone()
        if row is None:
            return None
        body, date, kind, spokespersons, speaker, subject = row
        return ConferenceFacts(body, date, kind, tuple(json.loads(spokespersons)), speaker, subject)

    def sources(self, conference_id: str) -> list[ConferenceSource]:
        """The sources of one conference in the order they came in."""
        return [ConferenceSource(*r) for r in self._store.query(
            f"SELECT {_SOURCE_COLUMNS} FROM sources s WHERE s.conference_id = ? ORDER BY s.id", [conference_id])]

    def of_source(self, source_id: int) -> str | None:
        row = self._store.query("SELECT conference_id FROM sources WHERE id = ?", [source_id]).fetchone()
        return row[0] if row else None

    def of_item(self, item_id: int) -> str | None:
        row = self._store.query(
            "SELECT s.conference_id FROM items i JOIN sources s ON s.id = i.source_id WHERE i.id = ?",
            [item_id]).fetchone()
        return row[0] if row else None

    def by_item(self) -> dict[int, str]:
        """{item id: its conference id} for every item."""
        return dict(self._store.query(
            "SELECT i.id, s.conference_id FROM items i JOIN sources s ON s.id = i.source_id", []))

    def find_source(self, ref: str) -> ConferenceSource:
        """A source named by its id, its file name or its sha256 (or a prefix of 8 or more)."""
        q = f"SELECT {_SOURCE_COLUMNS} FROM sources s WHERE "
        rows = []
        if (number := row_number(ref)) is not None:
            rows = self._store.query(q + "s.id = ?", [number]).fetchall()
        if not rows:
            rows = self._store.query(q + "s.name = ? ORDER BY s.id", [ref]).fetchall()
        if not rows and len(ref) >= 8 and all(ch in "0123456789abcdef" for ch in ref.lower()):
            rows = self._store.query(q + "s.sha256 LIKE ? ORDER BY s.id", [ref.lower() + "%"]).fetchall()
        if not rows:
            raise AnnotatorError(f"{self.path}: no source {ref!r} (name a source by its id, file name or sha256)")
        if len(rows) > 1:
            raise AnnotatorError(f"{self.path}: {len(rows)} sources are named {ref!r}; name one by its id or sha256")
        return ConferenceSource(*rows[0])

    def events(self) -> list[ConferenceEvent]:
        """The lead's corrections of conferences, oldest first."""
        return [ConferenceEvent(*r) for r in self._store.query(
            "SELECT uid, source_sha256, before, after, action, coder, at FROM conference_events ORDER BY at, id", [])]

    # -- the importer's assignment ------------------------------------------------------------

    def claim(self, prepared: PreparedSource, *, allow_copies: bool = False) -> tuple[str, str | None, bool]:
        """(conference id, sha256 of the source it copies or None, whether the conference's row is
        there already) for a source about to be written.

        A copy -- its pairs' text the same as a source's already here (``pairs_fingerprint``) --
        joins that source's conference, whatever its own page says. Otherwise the page's facts
        name the conference; a conference of that id held by another briefing (``clash``) is
        refused in one line naming both files, before anything is written.
        """
        if not allow_copies:
            row = self._store.query(
                "SELECT sha256, conference_id FROM sources WHERE pairs_sha256 = ? AND copy_of IS NULL ORDER BY id LIMIT 1",
                [prepared.fingerprint]).fetchone()
            if row is not None:  # (rare: its row is written as before, should the original's be missing)
                return row[1], row[0], False
        facts = prepared.conference
        cid = conference_id(facts)
        held = self.facts(cid)
        if held is not None:
            why = clash(held, facts)
            if why is not None:
                first = self._store.query(
                    "SELECT name FROM sources WHERE conference_id = ? ORDER BY id LIMIT 1", [cid]).fetchone()
                raise AnnotatorError(
                    f"{prepared.source.name}: claims conference {cid} ({describe(held)}), which "
                    f"{first[0] if first else 'another file'} holds, but is another briefing ({why}); not imported")
        return cid, None, held is not None

    def ensure(self, cid: str, facts: ConferenceFacts) -> None:
        """Write the conference row if it is new (inside the caller's transaction)."""
        self._conn.execute(
            """INSERT OR IGNORE INTO conferences(id, body, date, kind, spokespersons, speaker, subject)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [cid, facts.body, facts.date, facts.kind, json.dumps(list(facts.spokespersons), ensure_ascii=False),
             facts.speaker, facts.subject])

    # -- the lead's corrections ---------------------------------------------------------------

    def link(self, source_ref: str, target: str, coder: str) -> dict[str, Any]:
        """Move a source (and the copies of it) into conference ``target``; one event each."""
        coder = validate_coder(coder)
        src = self.find_source(source_ref)
        if self.get(target) is None:
            raise AnnotatorError(f"{self.path}: no conference {target!r} (annotator conferences lists them); nothing changed")
        if src.conference_id == target:
            raise AnnotatorError(f"{self.path}: {src.name} is in conference {target} already; nothing changed")
        moved = self._move(src, target, "link", coder)
        return {"source": src.name, "before": src.conference_id, "after": target, "moved": moved,
                "line": f"{src.name}: moved from conference {src.conference_id} to {target}"
                        + (f" with {plural(len(moved) - 1, 'copy', 'copies')} of it" if len(moved) > 1 else "")}

    def unlink(self, source_ref: str, coder: str) -> dict[str, Any]:
        """Take a source (and its copies) out of its conference into one of its own, of the same facts."""
        coder = validate_coder(coder)
        src = self.find_source(source_ref)
        held = src.conference_id
        others = self._store.query(
            "SELECT count(*) FROM sources WHERE conference_id = ? AND id != ? AND coalesce(copy_of, '') != ?",
            [held, src.id, src.sha256]).fetchone()[0]
        if others == 0:
            labels = self._store.query(
                """SELECT count(*) FROM labels l JOIN items i ON i.id = l.item_id JOIN sources s ON s.id = i.source_id
                   WHERE s.conference_id = ?""", [held]).fetchone()[0]
            having = f", which has {plural(labels, 'label')}" if labels else ""
            raise AnnotatorError(f"{self.path}: {src.name} is the last source of conference {held}{having}; "
                                 "there is nothing to unlink it from; nothing changed")
        facts = self.facts(held)
        assert facts is not None  # a source's conference exists (foreign key)
        target = own_conference_id(held, src.sha256)
        with self._store.transaction():
            self.ensure(target, facts)
            moved = self._move(src, target, "unlink", coder)
        return {"source": src.name, "before": held, "after": target, "moved": moved,
                "line": f"{src.name}: out of conference {held}, now in {target} of its own"}

    def _move(self, src: ConferenceSource, target: str, action: str, coder: str) -> list[str]:
        at = now()
        with self._store.transaction():
            moving = [(src.sha256, src.name)] + list(self._conn.execute(
                "SELECT sha256, name FROM sources WHERE copy_of = ? AND conference_id = ? ORDER BY id",
                [src.sha256, src.conference_id]))
            for sha, _name in moving:
                uid = hashlib.sha256(json.dumps([sha, src.conference_id, target, action, coder, at]).encode()).hexdigest()[:32]
                self._conn.execute(
                    """INSERT INTO conference_events(uid, source_sha256, before, after, action, coder, at)
                       VALUES (?, ?, ?, ?, ?, ?, ?)""", [uid, sha, src.conference_id, target, action, coder, at])
                self._conn.execute("UPDATE sources SET conference_id = ? WHERE sha256 = ?", [target, sha])
            self.drop_empty()
        return [name for _sha, name in moving]

    def drop_empty(self) -> None:
        """Remove conferences no source is in any more (inside the caller's transaction)."""
        self._conn.execute(
            "DELETE FROM conferences WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.conference_id = conferences.id)")

    def replay(self, shas: set[str]) -> set[str]:
        """After a merge brought events: each of these sources goes where its latest event says
        (later change wins, by time then uid), when that conference exists (inside a transaction).
        Returns the conferences a source left or joined, for their pairs to be aligned again."""
        touched: set[str] = set()
        for sha in sorted(shas):
            row = self._conn.execute(
                """SELECT e.after, s.conference_id FROM conference_events e JOIN conferences c ON c.id = e.after
                   JOIN sources s ON s.sha256 = e.source_sha256
                   WHERE e.source_sha256 = ? ORDER BY e.at DESC, e.uid DESC LIMIT 1""", [sha]).fetchone()
            if row is not None and row[0] != row[1]:
                self._conn.execute("UPDATE sources SET conference_id = ? WHERE sha256 = ?", [row[0], sha])
                touched.update(row)
        self.drop_empty()
        return touched
