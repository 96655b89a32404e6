"""Changes the window could not write before it closed: kept in a file, written at the next open.

A window that closes while its project is locked, read-only or gone keeps the
waiting changes in ``unwritten-*.json``. The next window on the same project,
for the same coder, writes them first, in the order they were made, and
renames the file ``*.written.json`` as the record of it. Labels, notes, flags
and done marks are absolute ("tone is now firm"); seconds add up, so a change
leaves the file once written and is never written twice.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError, CodebookRefuses
from annotator.core.records import Change, LabelValue, now
from annotator.core.store import Store
from annotator.core.wording import plural


@dataclass
class Op:
    """One change a coder made in the window, as the window hands it to the store."""

    kind: str  # label | labels (several schemes at once: {scheme: value}) | note | flag | done | seconds
    item_id: int
    value: Any = None
    scheme: str | None = None
    seconds: float = 0.0
    suggested: str | None = None  # the suggestions on screen when the coder made it (``model.as_record``)

    def apply(self, store: Store, coder: str) -> Change | None:
        said = self.suggested
        if self.kind == "label":
            if self.scheme is None:
                raise AnnotatorError("a label change names no scheme")
            value: LabelValue = self.value
            return store.labels.set(self.item_id, coder, self.scheme, value, seconds=self.seconds, suggested=said)
        if self.kind == "labels":
            if not isinstance(self.value, dict):
                raise AnnotatorError("a change of several labels names no schemes")
            return store.labels.set_many(self.item_id, coder, self.value, seconds=self.seconds, suggested=said)
        if self.kind == "note":
            return store.labels.set_note(self.item_id, coder, self.value, seconds=self.seconds, suggested=said)
        if self.kind == "flag":
            return store.labels.set_flag(self.item_id, coder, self.value, seconds=self.seconds, suggested=said)
        if self.kind == "done":
            return store.labels.set_done(self.item_id, coder, self.value, seconds=self.seconds, suggested=said)
        if self.kind == "seconds":
            store.labels.add_seconds(self.item_id, coder, self.seconds)
            return None
        raise AnnotatorError(f"unknown change {self.kind!r}")


def _project(path: Path) -> str:
    return str(Path(path).resolve())


def keep(folder: Path, project: Path, coder: str, ops: list[Op], *, path: Path | None = None) -> Path:
    """Write ``ops`` to a new file in ``folder`` (``path``: over that file, which a session keeps up
    to date while its writes wait); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    if path is None:
        path = folder / f"unwritten-{now().replace(':', '')}.json"
        n = 1
        while path.exists():  # two windows closing in the same second
            n += 1
            path = folder / f"unwritten-{now().replace(':', '')}-{n}.json"
    _write(path, {"project": _project(project), "coder": coder, "changes": [asdict(op) for op in ops]})
    return path


def _write(path: Path, data: dict[str, Any]) -> None:
    # whole or not at all: a file cut short by a crash mid-write would be "unreadable kept
    # changes" at the next open, the older ones it held lost with it
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    part.replace(path)


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise AnnotatorError(f"{path}: unreadable kept changes ({e})") from None
    if not (isinstance(data, dict) and isinstance(data.get("changes"), list)):
        raise AnnotatorError(f"{path}: not a file of kept changes")
    return data


def kept_for(folder: Path, project: Path, coder: str) -> list[Path]:
    """The files of changes kept for this project and coder, oldest first."""
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("unwritten-*.json")):
        if path.name.endswith(".written.json"):
            continue
        try:
            data = _read(path)
        except AnnotatorError:
            continue  # another project's business is not ours to judge; write_kept says what is wrong
        if data.get("project") == _project(project) and data.get("coder") == coder:
            out.append(path)
    return out


def write_kept(store: Store, coder: str, path: Path) -> int:
    """Write the changes kept in ``path``, in order; returns how many were written.

    If the project refuses one (still locked, say), those written are dropped from
    the file and the rest stay for the next time; the error is raised. A change the
    codebook now refuses (a done mark while a required scheme has no value, a label of a
    scheme that no longer applies to the item) is no write to retry: it is left out, and
    the item waits for the coder as it is.
    """
    data = _read(path)
    changes = data["changes"]
    left_out = 0
    for done, change in enumerate(changes):
        try:
            op = Op(**change)
            op.apply(store, coder)
        except CodebookRefuses:
            left_out += 1
            continue
        except (TypeError, AnnotatorError) as e:
            if done:
                _write(path, {**data, "changes": changes[done:]})
            why = str(e) if isinstance(e, AnnotatorError) else "a change in it is malformed"
            raise AnnotatorError(f"{path.name}: {plural(len(changes) - done, 'kept change')} not written yet: {why}") from None
    path.rename(path.with_name(path.stem + ".written.json"))
    return len(changes) - left_out
