"""Export labelled items as JSONL that training code loads as it is.

``export(store, options, out)`` streams the project's items once, in id order, through
one format's writer (native, Prodigy, spaCy, Label Studio) or the label-file writer,
into a temporary file per output that is renamed into place only when all is written.
The CLI (``annotator export``) and the window's File > Export... both call it.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from annotator.core.codebook import Scheme
from annotator.core.errors import AnnotatorError
from annotator.core.export.labels import alignment_records, correction_records, header, state_records, write_events
from annotator.core.export.labelstudio import LabelStudioWriter, labelling_config
from annotator.core.export.native import NativeWriter
from annotator.core.export.options import (
    DEFAULT_SPLIT,
    FORMATS,
    LANGUAGE_WORDS,
    SELECTIONS,
    TEXTS,
    ExportOptions,
    ExportSummary,
    parse_split,
)
from annotator.core.export.output import AtomicFile, Sink, check_not_over, check_target, encode
from annotator.core.export.prodigy import ProdigyWriter
from annotator.core.export.rows import Row, Values
from annotator.core.export.spacy import (
    CONFIG_NAME,
    DEFAULT_LANG,
    DocBinSink,
    DocBinWriter,
    SpacyJsonlWriter,
    config_lang,
    prepare_folder,
    remove_folder,
    spacy_targets,
    training_config,
)
from annotator.core.export.split import assign_conferences, share_warnings, split_path
from annotator.core.labelstudio_users import check_covers
from annotator.core.records import ConferenceExtent, now
from annotator.core.store import Store

__all__ = [
    "DEFAULT_SPLIT", "FORMATS", "TEXTS", "ExportOptions", "ExportSummary", "export", "parse_split",
    "labelling_config_path",
]

# progress(done, total) -> False to cancel; called every PROGRESS_EVERY items and at the end.
Progress = Callable[[int, int], "bool | None"]
Records = Callable[[Row], tuple[list[Any], str | None]]  # a row's records, else none and why
PROGRESS_EVERY = 1000


class _Cancelled(Exception):
    pass


def labelling_config_path(path: Path) -> Path:
    """Where the Label Studio labelling config goes: beside the export, ``tasks.json`` -> ``tasks.xml``."""
    return path.with_suffix(".xml") if path.suffix else path.with_name(path.name + ".xml")


def _resolve(store: Store, options: ExportOptions) -> tuple[str, list[Scheme]]:
    """Check the options against the project; return the selection and the schemes to export."""
    if options.format not in FORMATS:
        raise AnnotatorError(f"unknown export format {options.format!r} (use one of {', '.join(FORMATS)})")
    if options.text not in TEXTS:
        raise AnnotatorError(f"unknown --text {options.text!r} (use one of {', '.join(TEXTS)})")
    selection = options.selection
    if selection is None:
        selection = "coder" if options.coder is not None else None
    if selection is not None and selection not in SELECTIONS:
        raise AnnotatorError(f"unknown selection {selection!r}")
    codebook = store.codebook()
    schemes = list(codebook.schemes)
    if options.scheme is not None:
        scheme = codebook.scheme(options.scheme)
        if scheme is None:
            names = ", ".join(s.name for s in codebook.schemes)
            raise AnnotatorError(f"{store.path}: the codebook has no scheme {options.scheme!r} (schemes: {names})")
        schemes = [scheme]
    if selection == "coder":
        if not options.coder:
            raise AnnotatorError("--coder needs a coder's name")
        coders = store.labels.coders()
        if options.coder not in coders:
            known = ", ".join(coders) if coders else "none has labelled anything yet"
            raise AnnotatorError(f"{store.path}: no coder {options.coder!r} (coders: {known})")
    if options.ls_users is not None:
        if options.format != "labelstudio" or options.labels_file:
            raise AnnotatorError("--ls-users names Label Studio users; it goes with --format labelstudio")
        if selection != "gold":
            check_covers(options.ls_users, [options.coder] if selection == "coder" else store.labels.coders())
    if options.provenance:
        if selection != "gold":
            raise AnnotatorError("--provenance says where gold values came from; it goes with --gold")
        if options.format != "native" or options.labels_file:
            raise AnnotatorError("--provenance is written into the native record only (trace other formats by uid)")
    if options.language is not None:
        if options.language not in LANGUAGE_WORDS:
            raise AnnotatorError(f"--language: {options.language!r} is not one of {', '.join(LANGUAGE_WORDS)}")
        if options.labels_file:
            raise AnnotatorError("--labels carries every item for 'annotator merge'; it cannot be combined with --language")
    if options.with_translation and (options.format != "native" or options.labels_file):
        raise AnnotatorError("--with-translation is written into the native record only (--format native)")
    if options.labels_file:
        if selection == "gold":
            raise AnnotatorError("--labels exports coders' labels; it cannot be combined with --gold")
        if options.split:
            raise AnnotatorError("--labels writes one file; it cannot be combined with --split")
        # A label file has one shape and no transcript text: these would be silently ignored.
        ignored = [f"--format {options.format}" if options.format != "native" else "",
                   f"--text {options.text}" if options.text != "pair" else "",
                   "--include-unlabelled" if options.include_unlabelled else ""]
        if any(ignored):
            raise AnnotatorError(f"--labels writes annotator's label file (labels and history, no text); "
                                 f"it cannot be combined with {', '.join(i for i in ignored if i)}")
        return selection or "all", schemes
    if options.format in ("spacy", "spacy-jsonl"):
        fmt = options.format
        if fmt == "spacy-jsonl" and options.scheme is None:
            names = ", ".join(s.name for s in codebook.schemes)
            raise AnnotatorError(f"--format spacy-jsonl needs --scheme NAME: its cats hold one scheme (schemes: {names})")
        if selection in (None, "all"):
            raise AnnotatorError(f"--format {fmt} needs --gold or --coder NAME: one label per item, not every coder's")
        if options.include_unlabelled:
            raise AnnotatorError(f"--format {fmt} cannot --include-unlabelled: an item without a label has no cats")
    return selection or "all", schemes


def _writer(store: Store, options: ExportOptions, selection: str, schemes: list[Scheme], values: Values) -> Any:
    fmt = options.format
    if fmt == "native":
        return NativeWriter(schemes, selection, options.coder, options.text, options.include_unlabelled,
                            provenance=options.provenance,
                            translations=store.alignments.translations() if options.with_translation else None,
                            values=values)
    if fmt == "prodigy":
        return ProdigyWriter(schemes, selection, options.coder, options.text, options.include_unlabelled,
                             dataset=store.path.stem)
    if fmt == "spacy":
        return DocBinWriter(schemes, selection, options.coder, options.text)
    if fmt == "spacy-jsonl":
        return SpacyJsonlWriter(schemes[0], selection, options.coder, options.text)
    return LabelStudioWriter(schemes, selection, options.coder, options.text, options.include_unlabelled,
                             users=options.ls_users)


def export(
    store: Store,
    options: ExportOptions,
    out: str | Path | TextIO,
    progress: Progress | None = None,
) -> ExportSummary:
    """Write the export to ``out`` (a path, ``"-"`` for stdout, or an open text stream).

    Paths are written through temporary files renamed at the end; with ``options.split``
    one file per split is written beside ``out``. Returns what was written and left out.
    A ``progress`` callback returning False cancels: nothing is written then.
    """
    selection, schemes = _resolve(store, options)
    stream: TextIO | None = None
    path: Path | None = None
    if isinstance(out, str) and out == "-":
        stream = sys.stdout
    elif isinstance(out, (str, Path)):
        path = Path(out)
    else:
        stream = out
    docbin = options.format == "spacy" and not options.labels_file
    if docbin and path is None:
        raise AnnotatorError("--format spacy writes a folder of DocBin files and config.cfg: give -o FOLDER, not stdout")
    if options.split and path is None:
        raise AnnotatorError("--split writes one file per split: give -o FILE, not stdout")
    if path is not None:
        # Every file this export would rename into place, checked before any is opened.
        planned = [split_path(path, name) for name in options.split] if options.split and not options.labels_file else [path]
        if docbin:
            planned = [*spacy_targets(path, options.split).values(), path / CONFIG_NAME]
        if options.format == "labelstudio" and not options.labels_file:
            planned.append(labelling_config_path(path))
        for target in planned:
            check_not_over(target, project=store.path)
    summary = ExportSummary(format="labels" if options.labels_file else options.format)
    total = store.items.count()
    values = Values()  # every label text of this export decoded once, for its rows and writer
    files: list[AtomicFile] = []
    made_folder = False  # a DocBin export's folder, made here: gone again if the export is

    def discard() -> None:
        for f in files:
            f.abort()
        if made_folder and path is not None:
            remove_folder(path)

    def open_sink(target: Path | None, array: bool) -> Sink:
        if target is None:
            assert stream is not None
            return Sink(stream, array)
        f = AtomicFile(target)
        files.append(f)
        return DocBinSink(f.file) if docbin else Sink(f.file, array)  # type: ignore[return-value]

    try:
        if options.labels_file:
            sink = open_sink(path, array=False)
            # states, then history: one snapshot, or a note changed between the two reads would
            # go out as the old note with the new one's time (which a merge then keeps for good)
            with store.one_snapshot():
                _export_labels(store, values, selection, options.coder, sink, summary, total, progress)
        else:
            array = options.format == "labelstudio"
            if docbin:
                assert path is not None
                made_folder = prepare_folder(path)
            if options.split:
                targets = {name: split_path(path, name) for name in options.split}  # type: ignore[arg-type]
                if docbin:
                    targets = spacy_targets(path, options.split)  # type: ignore[arg-type]
                for target in targets.values():
                    check_target(target)
                sinks = {name: open_sink(t, array) for name, t in targets.items()}
            else:
                sinks = {"": open_sink(spacy_targets(path, None)[""] if docbin else path, array)}  # type: ignore[arg-type]
            records = _records_of(_writer(store, options, selection, schemes, values), options.language)
            where = _split_sources(store, values, records, options.split, options.seed, summary) if options.split else None
            _export_records(store, values, records, sinks, where, summary, total, progress)
            for sink in sinks.values():
                sink.close()
            if docbin:
                summary.config_lang, docs = config_lang(list(sinks.values()))  # type: ignore[arg-type]
                summary.languages = dict(docs)
            if options.split:
                summary.per_split = {name: sink.count for name, sink in sinks.items()}
            if options.format == "labelstudio" and path is not None:
                xml = AtomicFile(labelling_config_path(path))
                files.append(xml)
                xml.file.write(labelling_config(schemes))
            if docbin:
                cfg = AtomicFile(path / CONFIG_NAME)  # type: ignore[operator]
                files.append(cfg)
                cfg.file.write(training_config(schemes, options.split, summary.config_lang or DEFAULT_LANG))
        for f in files:
            f.commit()
    except _Cancelled:
        discard()
        summary.cancelled = True
        return summary
    except OSError as e:
        discard()
        if not files:
            raise  # stdout's: the CLI says so
        # a full disk meets a record's write long before the commit's flush
        raise AnnotatorError(f"{path}: cannot write the export ({e.strerror or e})") from None
    except BaseException:
        discard()
        raise
    if stream is not None:
        stream.flush()
    summary.files = [str(f.path) for f in files] if files else ["stdout"]
    return summary


def _tick(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and progress(done, total) is False:
        raise _Cancelled


def _records_of(writer: Any, language: str | None) -> Records:
    """What the export writes of a row: the writer's records, or none and why (a left-out
    count). The one rule both passes follow -- the split's weighing and the writing -- so a
    split's shares are shares of what is written (``--language`` included)."""
    if language is None:
        return writer.records
    other_language = f"not in {LANGUAGE_WORDS[language]}"

    def records(row: Row) -> tuple[list[Any], str | None]:
        return ([], other_language) if row.language != language else writer.records(row)

    return records


def _split_sources(store: Store, values: Values, records_of: Records, fractions: dict[str, float], seed: int,
                   summary: ExportSummary) -> dict[int, str]:
    """{source id: split}: whole conferences, weighed by the records this export writes of each
    (a first pass over the items), with a warning for each split far from its share."""
    conference_of = store.exports.source_conferences()
    records: Counter[str] = Counter()
    for raw in store.exports.rows():
        row = Row(raw, values)
        out, _why = records_of(row)
        if out:
            records[conference_of[row.source_id][0]] += len(out)
    dates = {cid: date for cid, date in conference_of.values()}
    extents = [ConferenceExtent(cid, dates[cid], n) for cid, n in records.items()]
    by_conference = assign_conferences(extents, fractions, seed)
    summary.split_warnings = share_warnings(extents, by_conference, fractions)
    summary.per_split_conferences = {name: sum(1 for s in by_conference.values() if s == name) for name in fractions}
    first = next(iter(fractions))  # a source with nothing to write is never asked for; any split will do
    return {sid: by_conference.get(cid, first) for sid, (cid, _date) in conference_of.items()}


def _export_records(
    store: Store, values: Values, records: Records, sinks: dict[str, Sink], where: dict[int, str] | None,
    summary: ExportSummary, total: int, progress: Progress | None,
) -> None:
    left_out = summary.left_out
    single = sinks.get("")
    written = seen = 0
    for raw in store.exports.rows():
        row = Row(raw, values)
        seen += 1
        out, why = records(row)
        if out:
            sink = single if where is None else sinks[where[row.source_id]]
            for record in out:
                sink.write(record)  # type: ignore[union-attr]
            written += len(out)
        elif why is not None:
            left_out[why] += 1
        if seen % PROGRESS_EVERY == 0:
            _tick(progress, seen, total)
    summary.items, summary.written = seen, written
    _tick(progress, seen, total)


def _export_labels(
    store: Store, values: Values, selection: str, coder: str | None, sink: Sink, summary: ExportSummary,
    total: int, progress: Progress | None,
) -> None:
    one = coder if selection == "coder" else None
    aligned = alignment_records(store.alignments.hand_rows(), store.alignments.event_rows(), one)
    corrected = correction_records(store.corrections.records())
    sink.write(header(store.path.name, store.codebook().to_json(), now(), alignments=bool(aligned),
                      corrections=bool(corrected)))
    for record in corrected:  # before the labels: they may name an item a split made
        sink.write(record)
    seen = written = 0
    for raw in store.exports.rows():
        row = Row(raw, values)
        seen += 1
        for record in state_records(row, one):
            sink.write(record)
            written += 1
        if seen % PROGRESS_EVERY == 0:
            _tick(progress, seen, total)
    summary.items, summary.written = seen, written
    summary.events = write_events(store.exports.events(one), sink.stream, encode)
    for record in aligned:
        sink.write(record)
    _tick(progress, seen, total)
