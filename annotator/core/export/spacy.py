"""spaCy exports: DocBin files and a config that ``spacy train`` runs as it is, or JSON lines.

``--format spacy -o FOLDER`` writes ``FOLDER/train.spacy``, ``dev.spacy``, ``test.spacy``
(one per ``--split`` name; ``corpus.spacy`` without a split) and ``FOLDER/config.cfg``,
so that, in FOLDER::

    python -m spacy train config.cfg --paths.train train.spacy --paths.dev dev.spacy

trains one text classifier per scheme. How the labels are kept apart: every label is
``scheme:option`` in ``doc.cats`` (``tone:neutral`` and ``question_stance:neutral`` are two
labels), and each scheme's component (``textcat_<scheme>``) is initialised with its own
labels only. A scheme the item has a label for is complete in ``cats`` (one 1.0 for a
single-choice scheme, any number for a multi-choice one, 0.0 for the rest); a scheme
nobody labelled, or that does not apply to the item's kind, is absent, which spaCy's
``textcat_multilabel`` treats as unknown, not as false; so is a value the codebook lacks (kept
by a forced codebook change or merge: ``Scheme.unknown``), whose options would all read 0.0 --
"none of these", a claim nobody made (an option renamed: "not the new name"). Why not spaCy's exclusive ``textcat`` for single-choice schemes: it checks
that a doc's whole ``cats`` has at most one 1.0 (E895), which a doc with labels in two
schemes has not; so it is used only when the export holds one single-choice scheme.

``--format spacy-jsonl`` keeps the line-per-record form ``{"text", "cats", "meta"}`` of one
scheme with its plain option values, for code that builds its own ``Example``s.

spaCy is needed only to write DocBin (its tokenizer makes the docs); it is imported when
such an export starts. Each doc is made by the tokenizer of its source's language (``spacy_lang``:
spaCy's Chinese one segments characters, where the English one would keep a whole clause of
Chinese as one token), and ``config.cfg`` names the language most of the exported docs are in,
since one pipeline has one tokenizer: a bilingual project trains best exported one language at
a time, which the summary line says.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from pathlib import Path
from typing import Any

from annotator.core.codebook import Scheme
from annotator.core.errors import AnnotatorError
from annotator.core.export.rows import DISAGREEMENT, NOT_APPLICABLE, OUTSIDE, LabelValue, Row, in_codebook

DEFAULT_LANG = "en"  # a source whose language could not be told (``importers/prepared.py``)
CONFIG_NAME = "config.cfg"
NO_SPLIT = "corpus"


def spacy_lang(language: str | None) -> str:
    """The blank spaCy pipeline whose tokenizer makes a doc of a source in ``language``."""
    return "zh" if language == "zh" else DEFAULT_LANG


def label(scheme: str, value: str) -> str:
    return f"{scheme}:{value}"


def cats_for(schemes: list[Scheme], values: dict[str, LabelValue]) -> dict[str, float]:
    """``scheme:option`` -> 1.0 / 0.0 for every scheme in ``values`` whose value the codebook
    holds; other schemes absent (unknown)."""
    cats: dict[str, float] = {}
    values = in_codebook(schemes, values)
    for s in schemes:
        if s.name in values:
            chosen = s.as_set(values[s.name])
            for v in s.values:
                cats[label(s.name, v)] = 1.0 if v in chosen else 0.0
    return cats


def _values(row: Row, schemes: list[Scheme], selection: str, coder: str | None) -> tuple[dict[str, LabelValue], str | None]:
    if selection == "coder":
        assert coder is not None
        values = row.coder_labels(coder, schemes)
        return values, None if values else f"not labelled by {coder}"
    values, why = row.consensus(schemes)
    if why == DISAGREEMENT:
        return {}, why
    return values, None if values else f"no gold label ({why})"


def spacy_targets(folder: Path, split: dict[str, float] | None) -> dict[str, Path]:
    """{split name: DocBin file} inside the export's folder ("" without a split)."""
    if not split:
        return {"": folder / f"{NO_SPLIT}.spacy"}
    return {name: folder / f"{name}.spacy" for name in split}


def prepare_folder(folder: Path) -> bool:
    """The folder a DocBin export writes into: made if missing (its parent must exist). True if
    it was made here: an export that then fails or is cancelled removes it (``remove_folder``)."""
    if folder.exists() and not folder.is_dir():
        raise AnnotatorError(f"{folder}: is a file; --format spacy writes a folder (train.spacy, dev.spacy, config.cfg)")
    parent = folder.parent if str(folder.parent) else Path(".")
    if not parent.is_dir():
        raise AnnotatorError(f"{folder}: cannot write the export (no folder {parent})")
    try:
        folder.mkdir()
    except FileExistsError:
        return False
    except OSError as e:
        raise AnnotatorError(f"{folder}: cannot make the export's folder ({e.strerror})") from None
    return True


def remove_folder(folder: Path) -> None:
    """Remove the folder ``prepare_folder`` made, once the export's files in it are aborted:
    only if it is empty (another program may have put a file there meanwhile)."""
    with contextlib.suppress(OSError):
        folder.rmdir()


def _spacy() -> Any:
    try:
        import spacy
    except ImportError:
        raise AnnotatorError(
            "--format spacy writes spaCy's DocBin and needs spaCy: pip install 'annotator[spacy]' "
            "(or --format spacy-jsonl for JSON lines)"
        ) from None
    return spacy


def components(schemes: list[Scheme]) -> list[tuple[str, str, Scheme]]:
    """(component name, factory, scheme) per scheme."""
    exclusive_alone = len(schemes) == 1 and not schemes[0].multi
    return [(f"textcat_{s.name}", "textcat" if exclusive_alone else "textcat_multilabel", s) for s in schemes]


def training_config(schemes: list[Scheme], split: dict[str, float] | None, lang: str = DEFAULT_LANG) -> str:
    """spaCy's own config for a blank ``lang`` pipeline with one bag-of-words classifier per scheme."""
    spacy = _spacy()
    nlp = spacy.blank(lang)
    for name, factory, _s in components(schemes):
        model = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": factory == "textcat",
                 "ngram_size": 1, "no_output_layer": False, "length": 262144, "nO": None}
        nlp.add_pipe(factory, name=name, config={"model": model})
    config = nlp.config
    names = list(split or {})
    train = "train" if "train" in names else names[0] if names else None
    dev = "dev" if "dev" in names else next((n for n in names if n != train), None)
    config["paths"]["train"] = f"{train}.spacy" if train else None
    config["paths"]["dev"] = f"{dev}.spacy" if dev else None
    config["initialize"]["components"] = {
        name: {"labels": [label(s.name, v) for v in s.values]} for name, _f, s in components(schemes)
    }
    return config.to_str()


class DocBinWriter:
    """Records ``(text, cats, uid, follow_up_of, language)`` for ``DocBinSink``; left out: items
    without a label to give."""

    def __init__(self, schemes: list[Scheme], selection: str, coder: str | None, text: str) -> None:
        self.schemes = schemes
        self.selection = selection
        self.coder = coder
        self.text = text

    def records(self, row: Row) -> tuple[list[Any], str | None]:
        values, why = _values(row, self.schemes, self.selection, self.coder)
        if not values:
            return [], why
        cats = cats_for(self.schemes, values)
        if not cats:
            return [], OUTSIDE
        return [(row.text(self.text), cats, row.uid, row.follow_up_of, spacy_lang(row.language))], None


class DocBinSink:
    """Docs gathered into one DocBin, written to ``file`` (an AtomicFile's stream) on close."""

    def __init__(self, file: Any) -> None:
        spacy = _spacy()
        from spacy.tokens import DocBin

        self._blank = spacy.blank
        self.pipelines: dict[str, Any] = {}
        self.languages: Counter[str] = Counter()  # docs per spaCy language, for the config's
        self.docbin = DocBin(store_user_data=True)
        self.file = file
        self.count = 0

    def write(self, record: tuple[str, dict[str, float], str, str | None, str]) -> None:
        text, cats, uid, follow_up_of, lang = record
        if lang not in self.pipelines:
            self.pipelines[lang] = self._blank(lang)
        doc = self.pipelines[lang].make_doc(text)
        self.languages[lang] += 1
        doc.cats = cats
        doc.user_data["uid"] = uid
        doc.user_data["follow_up_of"] = follow_up_of  # always set (None: none), as every format writes it
        self.docbin.add(doc)
        self.count += 1

    def close(self) -> None:
        self.file.flush()
        self.file.buffer.write(self.docbin.to_bytes())


def config_lang(sinks: list[DocBinSink]) -> tuple[str, Counter[str]]:
    """The language most exported docs are in (the config's ``lang``), and the docs per language."""
    docs: Counter[str] = Counter()
    for sink in sinks:
        docs.update(sink.languages)
    return (docs.most_common(1)[0][0] if docs else DEFAULT_LANG), docs


class SpacyJsonlWriter:
    """``{"text", "cats", "meta"}`` per item for one scheme, ``cats`` keyed by the plain option value.

    Every option of the scheme is in ``cats``; an item with no label for it is left out:
    all zeros would be a claim nobody made; so is one the scheme does not apply to, and one
    whose value the codebook lacks."""

    def __init__(self, scheme: Scheme, selection: str, coder: str | None, text: str) -> None:
        self.scheme = scheme
        self.values = scheme.values
        self.selection = selection
        self.coder = coder
        self.text = text

    def records(self, row: Row) -> tuple[list[dict[str, Any]], str | None]:
        if not self.scheme.applies(row.kind):
            return [], NOT_APPLICABLE
        if self.selection == "coder":
            assert self.coder is not None
            value = row.given(self.coder, self.scheme)
            if value is None:
                return [], f"no {self.scheme.name} label by {self.coder}"
        else:
            values, why = row.consensus([self.scheme])
            if self.scheme.name not in values:
                return [], f"no gold {self.scheme.name} label ({why})"
            value = values[self.scheme.name]
        if self.scheme.unknown(value):
            return [], OUTSIDE  # all zeros, or 0.0 for an option renamed from it: a claim nobody made
        chosen = self.scheme.as_set(value)
        cats = {v: 1.0 if v in chosen else 0.0 for v in self.values}
        return [{"text": row.text(self.text), "cats": cats,
                 "meta": {"uid": row.uid, "follow_up_of": row.follow_up_of}}], None
