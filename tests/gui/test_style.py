"""The look (annotator/gui/style.py) as a coder sees it: what is drawn, measured in the window."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QStyle, QStyleOptionButton

from annotator.gui.style import sheet
from tests.gui.keyboard import open_window, press

# WCAG 2's least contrast for what a user must see of a control (1.4.11, non-text contrast)
CONTROL_CONTRAST = 3.0


def _luminance(colour: QColor) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def _contrast(a: QColor, b: QColor) -> float:
    """WCAG 2's contrast ratio of two colours, 1 (the same) to 21 (black on white)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _indicator(button: QAbstractButton) -> tuple[QImage, QColor]:
    """The box or circle of ``button`` as drawn on its page (the style's rect of it: none of the
    text), and the page's colour beside it (the button's corner, which its padding leaves bare)."""
    option = QStyleOptionButton()
    option.initFrom(button)
    option.state |= QStyle.StateFlag.State_On if button.isChecked() else QStyle.StateFlag.State_Off
    element = (QStyle.SubElement.SE_RadioButtonIndicator if button.inherits("QRadioButton")
               else QStyle.SubElement.SE_CheckBoxIndicator)
    rect = button.style().subElementRect(element, option, button)
    page = button.window()
    image = page.grab().toImage()
    corner = button.mapTo(page, QPoint(0, 0))
    at = button.mapTo(page, rect.topLeft())
    return image.copy(at.x(), at.y(), rect.width(), rect.height()), image.pixelColor(corner)


def _strongest_edge(box: QImage, background: QColor) -> float:
    return max(_contrast(box.pixelColor(x, y), background) for x in range(box.width()) for y in range(box.height()))


def test_unticked_options_stand_out_in_the_dark_look_and_the_light(qtbot, project: Path) -> None:
    # In the dark look an unticked box or circle was a grey a shade off the codebook's background
    # (1.4:1): a coder could not see which options there were to tick.
    window = open_window(qtbot, project)
    press(qtbot, Qt.Key.Key_T)  # Taiwan ticked
    press(qtbot, Qt.Key.Key_2)  # tone: firm
    ticked = window.coding.panel.buttons[("topics", "taiwan")]
    chosen = window.coding.panel.buttons[("tone", "firm")]
    assert ticked.isChecked() and chosen.isChecked()
    shown = [b for b in window.coding.panel.buttons.values() if b.isVisible() and not b.isChecked()]
    unticked = next(b for b in shown if b.inherits("QCheckBox"))
    radio = next(b for b in shown if b.inherits("QRadioButton"))
    lightness = lambda: QApplication.palette().color(QPalette.ColorRole.Window).lightness()  # noqa: E731
    assert lightness() > 128  # the light look first (the system's, here)
    for look in ("dark", "light"):  # and the light one: its boxes' edge was 1.8:1
        press(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(lambda dark=look == "dark": (lightness() < 80) == dark)
        for button in (unticked, radio, window.coding.flag_box):
            box, background = _indicator(button)
            assert _strongest_edge(box, background) >= CONTROL_CONTRAST, (look, button.text())
        # a ticked box keeps the style's tick: it is not drawn as an unticked one
        assert _indicator(ticked)[0] != _indicator(unticked)[0], look
        # the chosen circle's dot stands out at least as much as an unticked circle's edge (the style's grey dot, on the dark
        # look, stood out less than the unticked circles around it)
        dot, background = _indicator(chosen)
        centre = _contrast(dot.pixelColor(dot.width() // 2, dot.height() // 2), background)
        edge = _strongest_edge(*_indicator(radio))
        assert centre >= edge, (look, centre, edge)
    window.close()


def _declaration(css: str, selector: str, name: str) -> str:
    """The colour a rule of ``css`` whose selectors include ``selector`` gives ``name`` (``border: 1px solid #abc``)."""
    for selectors, body in re.findall(r"([^{}]+)\{\{?([^{}]*)\}", css):
        if selector in [s.strip() for s in selectors.split(",")]:
            found = re.search(rf"(?:^|;)\s*{name}:[^;#]*(#[0-9a-fA-F]{{6}})", body)
            if found:
                return found.group(1)
    raise AssertionError(f"no {name} colour for {selector}")


def test_the_unticked_edge_stands_out_from_every_background_an_option_is_shown_on() -> None:
    # The pane's, a scheme's that Enter found missing, and the mark of the option a key just changed;
    # the rule is every box's: the filter's and the dialogs' were as faint
    for dark in (True, False):
        css = sheet(1.0, dark)
        edge = QColor(_declaration(css, "QCheckBox::indicator:unchecked", "border"))
        assert edge == QColor(_declaration(css, "QRadioButton::indicator:unchecked", "border"))
        for under in ("#codebookPage", 'QFrame#schemeGroup[wanted="true"]', "QFrame#revealMark"):
            assert _contrast(edge, QColor(_declaration(css, under, "background"))) >= CONTROL_CONTRAST, (dark, under)
