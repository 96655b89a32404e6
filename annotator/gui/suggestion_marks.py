"""The model's suggestions beside the codebook's options: a mark, never a tick.

A suggested option's key cap is marked (``suggested`` property, coloured by the style
sheet) and a line under its scheme's title says what is suggested with each option's
probability, and the key that takes it. The boxes themselves stay as the coder left
them: only the coder ticks. The line is a widget of its own inserted into the scheme's
group, so the options' columns -- measured from the boxes and key caps -- never move
when a suggestion comes or goes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from annotator.gui.codebook_panel import CodebookPanel
from annotator.gui.keys import key_for

if TYPE_CHECKING:
    from annotator.core.codebook import Scheme
    from annotator.core.model.model import Suggestion

ACCEPT_KEY = key_for("accept_suggestions")


def caption(suggestion: Suggestion, scheme: Scheme) -> str:
    """'Suggested: Taiwan 91 %, Other 55 %': the options in the model's order, as percentages."""
    parts = [f"{scheme.label_of(o)} {p:.0%}" for o, p in
             sorted(suggestion.probabilities.items(), key=lambda op: -op[1])]
    return "Suggested: " + ", ".join(parts)


class SuggestionMarks:
    """The marks of the suggestions for the item on screen, over one ``CodebookPanel``."""

    def __init__(self, panel: CodebookPanel) -> None:
        self.panel = panel
        self.lines: dict[str, QLabel] = {}
        self.marked: set[tuple[str, str]] = set()  # (scheme, option) marked now
        for name, group in panel.groups.items():
            line = QLabel()
            line.setObjectName("suggestion")
            line.setTextFormat(Qt.TextFormat.PlainText)
            line.setWordWrap(True)
            line.setToolTip(f"What the model trained on this project's labels suggests; {ACCEPT_KEY} takes it "
                            "(your boxes stay as they are until you do)")
            line.hide()
            group.layout().insertWidget(1, line)  # under the scheme's title, over its options
            self.lines[name] = line

    def show(self, suggestions: dict[str, Suggestion]) -> None:
        """Mark these suggestions ({scheme: Suggestion}); every other mark goes."""
        wanted = {(name, o) for name, s in suggestions.items() for o in s.probabilities}
        for sv in self.marked ^ wanted:
            cap = self.panel.keycaps.get(sv)
            if cap is not None:
                cap.setProperty("suggested", sv in wanted)
                cap.style().unpolish(cap)
                cap.style().polish(cap)
        self.marked = {sv for sv in wanted if sv in self.panel.keycaps}
        for name, line in self.lines.items():
            s = suggestions.get(name)
            if s is None:
                line.hide()
                continue
            line.setText(f"{caption(s, self.panel.schemes[name])}  ·  {ACCEPT_KEY} takes it")
            line.show()

    def texts(self) -> dict[str, str]:
        """{scheme: the line shown} (tests read it)."""
        return {name: line.text() for name, line in self.lines.items() if not line.isHidden()}
