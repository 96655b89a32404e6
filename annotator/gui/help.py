"""Help > Keyboard and Help > Codebook guidelines: both built from the live tables,
so they list exactly the keys and options in force."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from annotator.core.codebook import Codebook
from annotator.gui.codebook_panel import key_caption
from annotator.gui.keys import WINDOW_KEYS


def keyboard_html(codebook: Codebook) -> str:
    rows = [
        f"<tr><td><b>{escape(' / '.join(k.keys))}</b></td><td>{escape(k.help)}</td></tr>" for k in WINDOW_KEYS
    ]
    parts = ["<h3>The window</h3><table cellpadding='3'>", *rows, "</table>"]
    for scheme in codebook.schemes:
        kind = "several may apply" if scheme.kind == "multi" else "one; press its key again to clear"
        parts.append(f"<h3>{escape(scheme.title)} <small>({kind})</small></h3><table cellpadding='3'>")
        for o in scheme.options:
            parts.append(f"<tr><td><b>{escape(key_caption(o.key))}</b></td><td>{escape(o.label)}</td></tr>")
        parts.append("</table>")
    parts.append("<p>While the note, the search or a filter has the focus, letters type text; Escape leaves it, "
                 "and Enter in the search, a date or a filter's list applies it and goes back to the item. "
                 "The filters (status, label, outlet, spokesperson, dates) are Ctrl+F then Tab: Up/Down pick "
                 "an entry of a list.</p>")
    return "".join(parts)


def guidelines_html(codebook: Codebook) -> str:
    parts = [f"<h2>{escape(codebook.name)}</h2>"]
    for scheme in codebook.schemes:
        kind = "several may apply" if scheme.kind == "multi" else "choose one"
        parts.append(f"<h3>{escape(scheme.title)} <small>({kind})</small></h3><dl>")
        for o in scheme.options:
            key = f" &nbsp;<small>[{escape(key_caption(o.key))}]</small>" if o.key else ""
            parts.append(f"<dt><b>{escape(o.label)}</b>{key}</dt><dd>{escape(o.description or '—')}</dd>")
        parts.append("</dl>")
    return "".join(parts)


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget, title: str, html: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(620, 640)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
