"""A parsed source made into what the store writes: ``items.PreparedSource``.

The last step of reading a file, done where it was parsed (a worker process in a large import,
``parse_ahead``), so the process that writes does only SQL.
"""

from __future__ import annotations

import json
from dataclasses import replace

from annotator.core.conferences import language_of, pairs_fingerprint
from annotator.core.importers.conference import announcer, read_conference
from annotator.core.items import ItemRow, PreparedSource, Source, item_uid
from annotator.core.names import normalise_name


def prepare(source: Source) -> PreparedSource:
    """``source`` as the rows the store writes, with its conference (read from the page unless
    the caller gave it), language and fingerprint."""
    conference = source.conference or read_conference(source)
    # A release no one answers in is voiced by whom its opening names ("外交部发言人耿爽宣布："):
    # its items are his, for the spokesperson filter. Filled only now, as the conference's facts
    # (and so its id, which other copies of the release join) are read from the items as parsed.
    voice = announcer(source.items)
    language = language_of([it.question + it.answer for it in source.items[:20]])
    fingerprint = pairs_fingerprint((it.question, it.answer) for it in source.items)
    uids = {item.seq: item_uid(source.sha256, item) for item in source.items}
    rows: list[ItemRow] = [
        (
            uids[it.seq], it.kind, it.seq, it.date, it.outlet, it.spokesperson or voice,
            normalise_name(it.outlet), normalise_name(it.spokesperson or voice), it.question, it.answer,
            uids.get(it.follow_up_of) if it.follow_up_of is not None else None,
            json.dumps(it.meta, ensure_ascii=False) if it.meta else None,
        )
        for it in source.items
    ]
    return PreparedSource(replace(source, items=[], conference=conference), rows, conference, language, fingerprint)
