"""File > Export… in the coding window: the choices of ``annotator export``, for one coder.

Blind coding holds here too: a coder exports only their own labels (``--coder ME``) or
their label file for the lead (``--labels --coder ME``). Gold and every-coder exports are
the lead's, from ``annotator export`` or the review window, so they are not offered.
The export itself is the core's ``export()``, run with a cancellable progress dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.export import DEFAULT_SPLIT, ExportOptions, ExportSummary, export, parse_split
from annotator.core.store import Store

FORMAT_CHOICES = (
    ("Native JSONL (uid, text, one key per scheme)", "native"),
    ("Prodigy (choice interface, one record per scheme)", "prodigy"),
    ("spaCy textcat JSONL (text and cats, one scheme)", "spacy-jsonl"),
    ("Label Studio (JSON tasks and labelling config)", "labelstudio"),
)
TEXT_CHOICES = (("Question and answer", "pair"), ("Answer only", "answer"), ("Question only", "question"))
MINE, LABEL_FILE = "mine", "labels"
LEAD_NOTE = (
    "Only your own labels are exported here (blind coding). Gold labels and every coder's labels "
    "are the lead's export: 'annotator export DB --gold' or '--all-coders', or the review window."
)


def default_name(store: Store, coder: str, fmt: str, label_file: bool) -> str:
    stem = f"{store.path.stem}-{coder}"
    if label_file:
        return f"{stem}.labels.jsonl"
    return f"{stem}-{fmt}.json" if fmt == "labelstudio" else f"{stem}-{fmt}.jsonl"


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose Alt mnemonic focuses ``buddy`` (rows holding a layout get none from Qt)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class ExportDialog(QDialog):
    """Choose what to export and where; Export runs it and closes with the summary line in ``summary``."""

    def __init__(self, parent: QWidget | None, store: Store, coder: str) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export your labels")
        self.store = store
        self.coder = coder
        self.summary: ExportSummary | None = None
        self.message: QMessageBox | None = None  # the last error or result box (tests read it)
        self._path_edited = False

        self.what = QComboBox()
        self.what.addItem(f"My labels ({coder}) as training data", MINE)
        self.what.addItem("My label file for the lead (labels and history, no text)", LABEL_FILE)
        self.format = QComboBox()
        for text, value in FORMAT_CHOICES:
            self.format.addItem(text, value)
        self.text = QComboBox()
        for text, value in TEXT_CHOICES:
            self.text.addItem(text, value)
        self.scheme = QComboBox()
        self.scheme.addItem("Every scheme", None)
        for scheme in store.codebook().schemes:
            self.scheme.addItem(scheme.title, scheme.name)
        self.unlabelled = QCheckBox("&Also items I have not labelled")  # Alt+A, as every choice has its key
        self.split_on = QCheckBox("Split by conference")
        self.split = QLineEdit(DEFAULT_SPLIT)
        self.split.setToolTip("name=fraction pairs summing to 1; whole conferences go to one split, by year")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setPrefix("seed ")
        split_row = QHBoxLayout()
        split_row.setContentsMargins(0, 0, 0, 0)
        split_row.addWidget(self.split_on)
        split_row.addWidget(self.split, 1)
        split_row.addWidget(self.seed)
        self.path = QLineEdit()
        self.path.textEdited.connect(self._edited)
        self.browse = QPushButton("&Browse…")
        self.browse.setAutoDefault(False)
        self.browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.setContentsMargins(0, 0, 0, 0)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)

        form = QFormLayout()
        form.addRow("&Export:", self.what)
        form.addRow("&Format:", self.format)
        form.addRow("&Text:", self.text)
        form.addRow("&Scheme:", self.scheme)
        form.addRow("", self.unlabelled)
        form.addRow(buddy_label("S&plit:", self.split_on), split_row)
        form.addRow(buddy_label("&Output file:", self.path), path_row)
        note = QLabel(LEAD_NOTE)
        note.setWordWrap(True)
        note.setObjectName("where")
        note.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)

        for combo in (self.what, self.format, self.scheme):
            combo.currentIndexChanged.connect(self._sync)
        self.split_on.toggled.connect(self._sync)
        self._sync()
        self.resize(620, self.sizeHint().height())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # after the button box has picked its own default on show: Enter exports, Escape cancels
        self.export_button.setDefault(True)

    # -- what the dialog asks for -------------------------------------------------------------

    def options(self) -> ExportOptions:
        """The choices as the core's options; a malformed split is an AnnotatorError."""
        label_file = self.what.currentData() == LABEL_FILE
        # A label file has one shape: what the record choices say does not apply to it.
        return ExportOptions(
            format="native" if label_file else self.format.currentData(),
            selection="coder",
            coder=self.coder,
            include_unlabelled=self.unlabelled.isChecked() and self.unlabelled.isEnabled() and not label_file,
            text="pair" if label_file else self.text.currentData(),
            scheme=None if label_file else self.scheme.currentData(),
            split=parse_split(self.split.text()) if self.split_on.isChecked() and not label_file else None,
            seed=self.seed.value(),
            labels_file=label_file,
        )

    def out_path(self) -> Path | None:
        text = self.path.text().strip()
        return Path(text).expanduser() if text else None

    def set_out_path(self, path: str | Path) -> None:
        self.path.setText(str(path))
        self._path_edited = True

    # -- keeping the choices consistent -------------------------------------------------------

    def _sync(self) -> None:
        label_file = self.what.currentData() == LABEL_FILE
        spacy = self.format.currentData() == "spacy-jsonl"
        for w in (self.format, self.text, self.scheme, self.split_on):
            w.setEnabled(not label_file)
        # spaCy's cats need a label on every record, so unlabelled items cannot come along
        self.unlabelled.setEnabled(not label_file and not spacy)
        self.split.setEnabled(not label_file and self.split_on.isChecked())
        self.seed.setEnabled(self.split.isEnabled())
        if not self._path_edited:
            folder = self.store.path.resolve().parent
            self.path.setText(str(folder / default_name(self.store, self.coder, self.format.currentData(), label_file)))

    def _edited(self, _text: str) -> None:
        self._path_edited = True

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text(), "JSON lines (*.jsonl *.json);;All files (*)")
        if chosen:
            self.set_out_path(chosen)

    # -- running ------------------------------------------------------------------------------

    def accept(self) -> None:
        try:
            options = self.options()
            path = self.out_path()
            if path is None:
                raise AnnotatorError("choose a file to export to")
            if options.format == "spacy-jsonl" and options.scheme is None:
                # said in the dialog's words: the core's line names the command's flags
                raise AnnotatorError("spaCy textcat JSONL holds one scheme in its cats: choose it under Scheme")
            if self.coder not in self.store.labels.coders():
                # said here rather than by the core, whose message lists the other coders' names
                raise AnnotatorError(f"{self.coder} has not labelled anything yet: there is nothing to export")
            summary = run_export(self, self.store, options, path)
        except AnnotatorError as e:
            self._tell(QMessageBox.Icon.Warning, "Export", str(e))
            return
        if summary.cancelled:
            return  # stay open: the coder may change a choice and try again
        self.summary = summary
        super().accept()

    def _tell(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        # open(), not exec(): window-modal without a nested event loop, so a test can answer it
        self.message = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.open()


def run_export(parent: QWidget, store: Store, options: ExportOptions, path: Path) -> ExportSummary:
    """The core's export with a cancellable progress dialog; AnnotatorError passes through."""
    dialog = QProgressDialog("Exporting…", "Cancel", 0, max(store.items.count(), 1), parent)
    dialog.setWindowTitle("Export")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progress(done: int, total: int) -> bool:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        QApplication.processEvents()
        return not dialog.wasCanceled()

    try:
        return export(store, options, path, progress=progress)
    finally:
        dialog.close()
        dialog.deleteLater()
