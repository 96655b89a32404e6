"""Label Studio's JSON import: a JSON array of tasks, and the labelling config beside it.

Each task carries the pair in ``data`` and, per coder, a ``result`` with one ``choices``
entry per scheme (``from_name`` = the scheme, as in the labelling config). Who owns it:

* with ``users`` (``--ls-users alice=alice@lab.org,...``) each coder's labels are an
  annotation whose ``completed_by`` is ``{"email": ...}`` (or the user id given), which
  Label Studio's import resolves to that member -- create them first
  (``annotator labelstudio-users``); a coder without a user is refused before anything
  is written, since Label Studio would refuse the whole file;
* without ``users`` each coder's labels are a prediction with ``model_version`` = the
  coder: Label Studio imports them into any instance, and keeps who said what.

Gold labels are one annotation with ``ground_truth`` set, owned by the reviewer when
``users`` maps them, else by whoever imports the file.

A coder's labels are the values they gave (``Row.given``): an explicit empty set is a
region with no choices; a scheme they gave no value, or that does not apply to the
item's kind, has no region.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import quoteattr

from annotator.core.codebook import Scheme
from annotator.core.export.rows import DISAGREEMENT, OUTSIDE, UNLABELLED, LabelValue, Row, in_codebook
from annotator.core.labelstudio_users import UserRef, completed_by


def labelling_config(schemes: list[Scheme]) -> str:
    """The ``<View>`` XML whose control names match the export's ``from_name``s."""
    lines = [
        "<View>",
        '  <Header value="$question"/>',
        '  <Text name="text" value="$text"/>',
    ]
    for s in schemes:
        choice = "multiple" if s.kind == "multi" else "single"
        lines.append(f'  <Header value={quoteattr(s.title)}/>')
        lines.append(f'  <Choices name={quoteattr(s.name)} toName="text" choice="{choice}" showInline="true">')
        for o in s.options:
            hint = f" hint={quoteattr(o.description)}" if o.description else ""
            lines.append(f"    <Choice value={quoteattr(o.value)} alias={quoteattr(o.value)}{hint}/>")
        lines.append("  </Choices>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def choices_result(schemes: list[Scheme], values: dict[str, LabelValue]) -> list[dict[str, Any]]:
    """One ``choices`` region per labelled scheme (an empty multi-choice set is one with no choices)."""
    return [
        {
            "id": s.name,
            "type": "choices",
            "from_name": s.name,
            "to_name": "text",
            "origin": "manual",
            "value": {"choices": values[s.name] if isinstance(values[s.name], list) else [values[s.name]]},
        }
        for s in schemes if s.name in values
    ]


class LabelStudioWriter:
    def __init__(self, schemes: list[Scheme], selection: str, coder: str | None, text: str,
                 include_unlabelled: bool, users: dict[str, UserRef] | None = None) -> None:
        self.schemes = schemes
        self.selection = selection
        self.coder = coder
        self.text = text
        self.include_unlabelled = include_unlabelled
        self.users = users

    def _annotation(self, values: dict[str, LabelValue], owner: UserRef | None, lead_time: float,
                    updated_at: str | None, gold: bool) -> dict[str, Any]:
        ann: dict[str, Any] = {}
        if owner is not None:  # none: Label Studio gives it to whoever imports the file
            ann["completed_by"] = completed_by(owner)
        ann.update({
            "lead_time": lead_time,
            "was_cancelled": False,
            "ground_truth": gold,
            "updated_at": updated_at,
            "result": choices_result(self.schemes, values),
        })
        return ann

    def _gold(self, row: Row, values: dict[str, LabelValue]) -> dict[str, Any]:
        decisions = sorted((g[2] or "", g[1] or "") for s, g in row.gold.items() if s in values)
        stamp = decisions[-1][0] if decisions else None
        decider = decisions[-1][1] if decisions else None
        owner = self.users.get(decider) if self.users and decider else None
        return self._annotation(values, owner, 0.0, stamp or None, True)

    def records(self, row: Row) -> tuple[list[dict[str, Any]], str | None]:
        annotations: list[dict[str, Any]] = []
        predictions: list[dict[str, Any]] = []
        why: str | None = None
        outside = False  # a label left out as a choice the config lacks (in_codebook)
        if self.selection == "gold":
            values, why = row.consensus(self.schemes)
            if why == DISAGREEMENT:
                return [], why
            known = in_codebook(self.schemes, values)
            outside = len(known) < len(values)
            if known:
                annotations.append(self._gold(row, known))
        else:
            coders = [self.coder] if self.selection == "coder" else row.coders()
            for coder in coders:
                assert coder is not None
                given = row.coder_labels(coder, self.schemes)
                values = in_codebook(self.schemes, given)
                outside = outside or len(values) < len(given)
                if not values:
                    continue
                if self.users is None:
                    predictions.append({"model_version": coder, "result": choices_result(self.schemes, values)})
                    continue
                seconds = row.annotations.get(coder, ("", False, False, 0.0, None))[3]
                annotations.append(
                    self._annotation(values, self.users[coder], seconds, row.coder_updated_at(coder), False)
                )
            if not annotations and not predictions:
                why = f"not labelled by {self.coder}" if self.selection == "coder" else UNLABELLED
        if not annotations and not predictions and outside:
            why = OUTSIDE
        if not annotations and not predictions and not self.include_unlabelled:
            return [], why
        task: dict[str, Any] = {
            "data": {
                "text": row.text(self.text),
                "question": row.question,
                "answer": row.answer,
                "outlet": row.outlet,
                "spokesperson": row.spokesperson,
                "date": row.date,
                "uid": row.uid,
                "follow_up_of": row.follow_up_of,  # a uid of another task's data.uid, or None
            },
            "annotations": annotations,
        }
        if predictions:
            task["predictions"] = predictions
        task["meta"] = {"source": row.source_name, "sha256": row.source_sha256, "seq": row.seq}
        return [task], None
