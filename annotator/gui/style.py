"""A calm look: white reading area, soft grey chrome, one accent colour."""

STYLE = """
QMainWindow, #leftPane, #rightPane { background: #f6f6f4; }
#itemView, #itemView > QWidget > QWidget#page { background: #ffffff; }
QLabel#body { font-size: 11.5pt; color: #1d1d1b; }
QLabel#context { font-size: 10pt; color: #6b6b66; }
QLabel#head { font-size: 8.5pt; font-weight: bold; color: #8a6d3b; letter-spacing: 1px; }
QLabel#where { font-size: 9pt; color: #75756f; }
QWidget#contextBox { border-left: 3px solid #e4e2dc; padding-left: 8px; }
QToolButton#contextToggle { border: none; color: #75756f; font-size: 9pt; }
QLabel#schemeTitle { font-weight: bold; color: #333330; padding-top: 4px; }
QFrame#schemeGroup[wanted="true"] { background: #fbe3c8; border-left: 3px solid #e8b77f; }
QLabel#keyCap { color: #8a8a84; font-family: monospace; font-size: 9pt; }
QLabel#banner { background: #fbe3c8; color: #6b3b00; padding: 8px 12px; border-bottom: 1px solid #e8b77f; }
QLabel#emptyMessage { font-size: 12pt; color: #75756f; }
QLabel#progress { color: #55554f; padding-right: 8px; }
QLineEdit[invalid="true"] { border: 1px solid #c0392b; }
QTableView#itemList { background: #ffffff; alternate-background-color: #fafaf8; border: none;
    selection-background-color: #dce8f5; selection-color: #1d1d1b; }
QPlainTextEdit#note { background: #ffffff; border: 1px solid #dddcd6; }
QSplitter::handle { background: #e4e2dc; }
QSplitter::handle:horizontal { width: 1px; }
"""
