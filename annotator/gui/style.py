"""A calm look: a white (or, in the dark look, near-black) reading area, soft chrome, one
accent colour; every text size scaled by the coder's zoom.

``look(zoom, dark)`` is the one place the windows get their look from: a style sheet
and the palette under it (Qt's own widgets, the menus and the boxes, read the palette;
the style sheet colours what the panes name). ``STYLE`` is the light look at 100 %.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

ZOOMS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6)  # Ctrl+= and Ctrl+- step through these; Ctrl+0 is 1.0
OPTION_PAD = 2  # px over and under an option's box; compact rows have none (the codebook panel counts on it)
BASE_PT = 9.5  # the window's text at 100 %; the pair's text is larger (``body``)


@dataclass(frozen=True)
class Colours:
    chrome: str  # panes around the reading area
    page: str  # the reading area, the list, the note
    alternate: str  # every other row of the list
    text: str
    soft: str  # secondary text: the where line, key captions
    head: str  # the small headings over question and answer
    title: str  # a scheme's title
    rule: str  # splitter handles, the context's left rule, borders
    accent: str  # a scheme Enter found missing, the banner
    accent_edge: str
    accent_text: str
    revealed: str  # the option a key just changed
    suggested: str  # the mark beside an option the model suggests (never a tick)
    selection: str
    invalid: str


LIGHT = Colours("#f6f6f4", "#ffffff", "#fafaf8", "#1d1d1b", "#75756f", "#8a6d3b", "#333330", "#e4e2dc",
                "#fbe3c8", "#e8b77f", "#6b3b00", "#fff1b8", "#c9e4d6", "#dce8f5", "#c0392b")
DARK = Colours("#232322", "#1a1a19", "#20201f", "#e6e4de", "#a09e96", "#d9b36c", "#d8d6cf", "#3a3936",
               "#5a3d1c", "#a0703a", "#f6d7ad", "#5b4d12", "#2f5a45", "#2d4660", "#e57364")


def sheet(zoom: float = 1.0, dark: bool = False) -> str:
    c = DARK if dark else LIGHT

    def pt(size: float) -> str:
        return f"{size * zoom:.1f}pt"

    return f"""
QWidget {{ font-size: {pt(BASE_PT)}; }}
QMainWindow, #leftPane, #rightPane, #codebookPage {{ background: {c.chrome}; }}
#itemView, #itemView > QWidget > QWidget#page {{ background: {c.page}; }}
QLabel#body {{ font-size: {pt(11.5)}; color: {c.text}; }}
QLabel#context {{ font-size: {pt(10)}; color: {c.soft}; }}
QLabel#head {{ font-size: {pt(8.5)}; font-weight: bold; color: {c.head}; letter-spacing: 1px; }}
QLabel#where {{ font-size: {pt(9)}; color: {c.soft}; }}
QWidget#contextBox {{ border-left: 3px solid {c.rule}; padding-left: 8px; }}
QToolButton#contextToggle {{ border: none; color: {c.soft}; font-size: {pt(9)}; }}
QLabel#schemeTitle {{ font-weight: bold; color: {c.title}; padding-top: 3px; }}
QFrame#schemeGroup[wanted="true"] {{ background: {c.accent}; border-left: 3px solid {c.accent_edge}; }}
QCheckBox#option, QRadioButton#option {{ padding: {OPTION_PAD}px 0px; margin: 0px; }}
QCheckBox#option[compact="true"], QRadioButton#option[compact="true"] {{ padding: 0px; }}
{_indicators(c)}
QLabel#schemeTitle:hover {{ color: {c.accent_text}; }}
QFrame#revealMark {{ background: {c.revealed}; }}
QFrame#pendingMark {{ border: 1px dashed {c.soft}; }}
QLabel#keyCap {{ color: {c.soft}; font-family: monospace; font-size: {pt(9)}; }}
QLabel#keyCap[suggested="true"] {{ background: {c.suggested}; color: {c.text}; border-radius: 3px; }}
QLabel#suggestion {{ color: {c.soft}; font-size: {pt(8.5)}; border-left: 3px solid {c.suggested}; padding-left: 4px; }}
QLabel#banner {{ background: {c.accent}; color: {c.accent_text}; padding: 8px 12px; border-bottom: 1px solid {c.accent_edge}; }}
QLabel#emptyMessage {{ font-size: {pt(12)}; color: {c.soft}; }}
QLabel#progress, QLabel#coderName {{ color: {c.soft}; padding-right: 8px; }}
QLabel#coderName {{ font-weight: bold; color: {c.title}; }}
QLineEdit[invalid="true"] {{ border: 1px solid {c.invalid}; }}
QTableView#itemList {{ background: {c.page}; alternate-background-color: {c.alternate}; border: none;
    selection-background-color: {c.selection}; selection-color: {c.text}; }}
QPlainTextEdit#note {{ background: {c.page}; border: 1px solid {c.rule}; }}
QSplitter::handle {{ background: {c.rule}; }}
QSplitter::handle:horizontal {{ width: 1px; }}
"""


INDICATOR_PX = 14  # an option's box or circle, edge included: Fusion's own size, ticked or not


def _indicators(c: Colours) -> str:
    """Every unticked box or circle (the codebook's options, Unsure, the filter's and the dialogs'
    boxes) drawn with an edge of the soft text's colour: the style's own edge (the window's colour,
    darker) all but vanished on the dark look's chrome, so a coder could not see which options
    there were to tick. A ticked circle is drawn too, its dot in the text's colour: the style's
    grey dot on the dark look stood out less than the unticked edges around it. A ticked box keeps
    the style's tick (the sheet could draw only an image there), at the same size. A box drawn by the sheet loses the margins Fusion gave it: a plain
    one is given them back (the options have their own padding), so no row changes height."""
    boxes = ("QCheckBox", "QRadioButton")

    def rule(state: str) -> str:
        return ", ".join(f"{b}::indicator{state}" for b in boxes)

    inner = INDICATOR_PX - 2
    return f"""{rule("")} {{ width: {INDICATOR_PX}px; height: {INDICATOR_PX}px; }}
{rule(":unchecked")} {{ width: {inner}px; height: {inner}px; border: 1px solid {c.soft};
    background: palette(base); }}
{rule(":unchecked:disabled")} {{ border-color: {c.rule}; }}
QRadioButton::indicator:unchecked {{ border-radius: {INDICATOR_PX // 2}px; }}
QRadioButton::indicator:checked {{ width: {inner}px; height: {inner}px; border: 1px solid {c.text};
    border-radius: {INDICATOR_PX // 2}px; background: qradialgradient(cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5,
    fy: 0.5, stop: 0 {c.text}, stop: 0.5 {c.text}, stop: 0.6 palette(base), stop: 1 palette(base)); }}
QRadioButton::indicator:checked:disabled {{ border-color: {c.soft}; }}
QCheckBox, QRadioButton {{ padding: 2px 4px 3px 0px; }}"""


def palette(dark: bool, light: QPalette) -> QPalette:
    """The palette under the sheet: ``light`` (the style's own) as it is, or a dark one built on it."""
    if not dark:
        return QPalette(light)
    c = DARK
    p = QPalette(light)
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, c.chrome), (roles.WindowText, c.text), (roles.Base, "#3b3a37"),  # boxes and fields stand out
        (roles.AlternateBase, c.alternate), (roles.Text, c.text), (roles.Button, "#2e2e2c"),
        (roles.ButtonText, c.text), (roles.ToolTipBase, "#2e2e2c"), (roles.ToolTipText, c.text),
        (roles.Highlight, c.selection), (roles.HighlightedText, c.text), (roles.PlaceholderText, c.soft),
        (roles.Link, "#8ab4e8"), (roles.Mid, c.rule), (roles.Midlight, "#333331"), (roles.Dark, "#121211"),
        (roles.Light, "#3a3a38"), (roles.Shadow, "#000000"), (roles.BrightText, "#ffffff"),
    ):
        p.setColor(role, QColor(colour))
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#6a6964"))
    return p



def system_dark() -> bool:
    """Whether the desktop asks for a dark look (Qt 6.5's colour scheme; unknown is light)."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def step_zoom(zoom: float, step: int) -> float:
    """The next text size up (+1) or down (-1) from ``zoom``, staying within ``ZOOMS``."""
    if step > 0:
        return next((z for z in ZOOMS if z > zoom + 1e-6), ZOOMS[-1])
    return next((z for z in reversed(ZOOMS) if z < zoom - 1e-6), ZOOMS[0])


def apply(window: QWidget, zoom: float, dark: bool) -> None:
    """Give ``window`` (and its dialogs, which inherit its sheet) this look, and the application
    the palette under it; nothing is done when it already has it, since a new style sheet
    re-polishes every widget. The sheet is the window's, not the application's: replacing the
    application's sheet while a key's shortcut runs re-polishes widgets mid-event and can crash."""
    wanted = sheet(zoom, dark)
    if window.styleSheet() == wanted:
        return
    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.setPalette(palette(dark, app.style().standardPalette()))
    window.setStyleSheet(wanted)


STYLE = sheet()
