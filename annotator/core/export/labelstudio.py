"""Label Studio's JSON export: a JSON array of tasks, and the labelling config beside it.

Each task carries the pair in ``data`` and one annotation per coder (or one for the
gold label) whose ``result`` holds a ``choices`` entry per scheme. Label Studio keys
annotations by a numeric user id (``completed_by``); ours number the project's coders
1, 2, ... in name order, and the task's ``meta.coders`` maps the numbers back to names.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import quoteattr

from annotator.core.codebook import Scheme
from annotator.core.export.rows import DISAGREEMENT, UNLABELLED, LabelValue, Row


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


class LabelStudioWriter:
    def __init__(self, schemes: list[Scheme], selection: str, coder: str | None, text: str,
                 include_unlabelled: bool, all_coders: list[str]) -> None:
        self.schemes = schemes
        self.selection = selection
        self.coder = coder
        self.text = text
        self.include_unlabelled = include_unlabelled
        self.user_ids = {c: i for i, c in enumerate(all_coders, 1)}

    def _annotation(self, values: dict[str, LabelValue], user: int, lead_time: float,
                    updated_at: str | None, gold: bool) -> dict[str, Any]:
        result = [
            {
                "id": f"{s.name}",
                "type": "choices",
                "from_name": s.name,
                "to_name": "text",
                "origin": "manual",
                "value": {"choices": values[s.name] if isinstance(values[s.name], list) else [values[s.name]]},
            }
            for s in self.schemes if s.name in values
        ]
        return {
            "completed_by": user,
            "lead_time": lead_time,
            "was_cancelled": False,
            "ground_truth": gold,
            "updated_at": updated_at,
            "result": result,
        }

    def records(self, row: Row) -> tuple[list[dict[str, Any]], str | None]:
        annotations: list[dict[str, Any]] = []
        names: dict[str, str] = {}
        why: str | None = None
        if self.selection == "gold":
            values, why = row.consensus(self.schemes)
            if why == DISAGREEMENT:
                return [], why
            if values:
                stamps = [g[2] for g in row.gold.values()]
                annotations.append(self._annotation(values, 1, 0.0, max(stamps) if stamps else None, True))
                names["1"] = "gold"
        else:
            coders = [self.coder] if self.selection == "coder" else row.coders()
            for coder in coders:
                assert coder is not None
                values = row.coder_labels(coder, self.schemes)
                if values:
                    names[str(self.user_ids.get(coder, 0))] = coder
                    seconds = row.annotations.get(coder, ("", False, False, 0.0, None))[3]
                    annotations.append(
                        self._annotation(values, self.user_ids.get(coder, 0), seconds, row.coder_updated_at(coder), False)
                    )
            if not annotations:
                why = f"not labelled by {self.coder}" if self.selection == "coder" else UNLABELLED
        if not annotations and not self.include_unlabelled:
            return [], why
        task = {
            "data": {
                "text": row.text(self.text),
                "question": row.question,
                "answer": row.answer,
                "outlet": row.outlet,
                "spokesperson": row.spokesperson,
                "date": row.date,
                "uid": row.uid,
            },
            "annotations": annotations,
            "meta": {
                "source": row.source_name, "sha256": row.source_sha256, "seq": row.seq,
                "coders": names,
            },
        }
        return [task], None
