"""The command line: parse flags, call the core, print. Nothing else lives here.

In the manner of sqlite-utils: the database path comes first, ``--json`` gives
machine output, a user's mistake is one line on stderr and a non-zero exit.

Each command imports the core it calls inside its own body: the store (sqlite-utils),
the importers (BeautifulSoup) and numpy cost a tenth of a second or more to import,
and ``annotator --version``, ``--help`` or ``stats`` must not wait for what they
never use. Only click and the light modules every command shares load up here.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from annotator import __version__
from annotator.core.errors import AnnotatorError
from annotator.core.import_formats import IMPORT_FORMATS
from annotator.core.wording import figure, plural

if TYPE_CHECKING:
    from annotator.core.store import Store


def user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the user's mistakes (AnnotatorError) into click's one-line error and exit 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        project = kwargs.get("db") or next((a for a in args if isinstance(a, Path)), None)
        if isinstance(project, Path):
            from annotator.core.location import risky_location

            warning = risky_location(project)
            if warning is not None:
                click.echo(f"warning: {warning}", err=True)
        try:
            return fn(*args, **kwargs)
        except AnnotatorError as e:
            raise click.ClickException(str(e)) from None
        except Exception as e:
            # A database failure the core did not name (say, locked by another program): still one
            # line. Imported here, not at the top: a failing store call has loaded it already.
            from annotator.core.store import DatabaseFailure, database_error

            if not isinstance(e, DatabaseFailure):
                raise
            # The project as found above: 'model' subcommands get it positionally, from the group.
            named = project if isinstance(project, Path) else Path("database")
            raise click.ClickException(str(database_error(named, e))) from None

    return wrapper


def reading(db: Path) -> contextlib.AbstractContextManager[Any]:
    """``store.reading`` of the project a command reads. A file an older version made is read
    through an upgraded copy each time, the file left as it is: the coder is told, once per
    command, how to upgrade it for good (at a million items each copy is gigabytes)."""
    from annotator.core.store import reading as store_reading

    return store_reading(db, copying=lambda: click.echo(
        f"note: {db}: made by an older version of annotator; reading an upgraded copy, the file left as it is "
        f"('annotator upgrade {db}' upgrades it once)", err=True))


def writing(db: Path, *, create: bool = False) -> Store:
    """The ``Store`` of the project a command writes. A file an older version made is backed up
    and upgraded in place first, and the coder told so on stderr before: at a million items the
    two take a while, and the command would say nothing meanwhile."""
    from annotator.core.store import Store

    return Store(db, create=create, upgrading=lambda steps, kept: click.echo(
        f"note: {db}: made by an older version of annotator; upgrading it to this version's schema first "
        f"({plural(len(steps), 'step')}, once; the file as it was is kept as {kept})", err=True))


def json_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(fn)


db_argument = click.argument("db", type=click.Path(dir_okay=False, path_type=Path))

# numpy's generators (the model's, alpha's bootstrap) take 32-bit seeds: every --seed is checked
# against that range as it is parsed, so a seed outside it is a bad flag, not a crash deep in numpy.
SEED = click.IntRange(0, 2**32 - 1)


def not_empty(what: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A click callback refusing an empty value ('' or blanks) of a flag that names something:
    the code below tells a flag given from one left out by ``is None``, and '' would slip through
    as the one or the other."""

    def check(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        values = value if isinstance(value, tuple) else (value,)
        if value is not None and any(not v.strip() for v in values):
            raise click.BadParameter(f"empty; give {what}")
        return value

    return check


def scheme_names(ctx: click.Context, param: click.Parameter, value: str | None) -> list[str] | None:
    """A click callback: comma-separated scheme names as a list, refusing a value that names none."""
    if value is None:
        return None
    names = [n.strip() for n in value.split(",") if n.strip()]
    if not names:
        raise click.BadParameter(f"{value!r} names no scheme; give scheme names, comma-separated, or 'all'")
    return names


def iso_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2021-12-09") from None


@contextlib.contextmanager
def terminal_progress(label: str) -> Iterator[Callable[[int, int, Path], bool]]:
    """A progress bar on a terminal (stderr), silence in a pipe; yields the core's progress callback."""
    if not sys.stderr.isatty():
        yield lambda done, total, path: True
        return
    bar = None

    def update(done: int, total: int, path: Path) -> bool:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)
        return True

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def emit(data: Any) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


class StdoutFailed(Exception):
    """Writing the command's output to stdout failed: a full disk, a reader gone (a closed pipe)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class _Stdout:
    """``sys.stdout`` while a command runs. A failed write is known to be stdout's, whoever wrote
    (click.echo, or the core writing an export or report to ``-``): an OSError alone cannot say
    which file failed, and a command's own files are named by the core."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except OSError as e:
            raise StdoutFailed(e) from e

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as e:
            raise StdoutFailed(e) from e

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _silence(stream: TextIO) -> None:
    """Point the failed stdout at the null device, so that Python's own flush at exit does not
    fail on what is still buffered and print a second, unhandled error (as the Python docs advise
    for BrokenPipeError). A stream with no file descriptor (a test's) cannot fail at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError):
        pass
    finally:
        os.close(devnull)


class OneLineErrors(click.Group):
    """Usage mistakes (a bad flag, a missing argument) get one line too, not click's usage block;
    so does a stdout that cannot be written, for every command."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        stdout = sys.stdout
        sys.stdout = _Stdout(stdout)  # type: ignore[assignment]
        try:
            try:
                return self._main(*args, **kwargs)
            finally:
                sys.stdout.flush()  # what is still buffered fails here, in one line, not at exit
        except StdoutFailed as e:
            if e.error.errno != errno.EPIPE:  # a reader that stopped reading (| head) needs no word
                click.echo(f"Error: stdout: cannot write ({e})", err=True)
            _silence(stdout)
            sys.exit(1)
        finally:
            if isinstance(sys.stdout, _Stdout):
                sys.stdout = stdout

    def _main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as e:
            click.echo(e.ctx.get_help())
            sys.exit(0)
        except click.UsageError as e:
            where = f"'{e.ctx.command_path} --help'" if e.ctx else "'annotator --help'"
            click.echo(f"Error: {e.format_message()} (see {where})", err=True)
            sys.exit(e.exit_code)
        except click.ClickException as e:
            e.show()
            sys.exit(e.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(1)
        except click.exceptions.Exit as e:
            sys.exit(e.exit_code)


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="annotator")
def cli() -> None:
    """Code press-conference transcripts: import, label, merge coders, measure agreement, export."""


@cli.command()
@db_argument
@click.option("--codebook", "codebook_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Codebook TOML to use (default: the bundled MFA codebook).")
@user_errors
def init(db: Path, codebook_file: Path | None) -> None:
    """Create a new, empty project database.

    Example: annotator init project.db --codebook my-codebook.toml
    """
    from annotator.core.codebook import load_codebook

    if db.exists():
        raise AnnotatorError(f"{db}: already exists; use 'annotator codebook {db} --set FILE' to change its codebook")
    chosen = load_codebook(codebook_file) if codebook_file else None  # a bad codebook creates no file
    with writing(db, create=True) as store:  # a new project comes with the bundled codebook
        if codebook_file is not None and chosen is not None:
            store.set_codebook(chosen, codebook_file.read_text(encoding="utf-8"))
        codebook = store.codebook()
    click.echo(f"Created {db} with codebook '{codebook.name}' ({plural(len(codebook.schemes), 'scheme')})")


@cli.command()
@db_argument
@click.option("--set", "new_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Put this codebook TOML in force.")
@click.option("--force", is_flag=True, help="Set it even if existing labels would be orphaned.")
@json_option
@user_errors
def codebook(db: Path, new_file: Path | None, force: bool, as_json: bool) -> None:
    """Print the codebook in force, or replace it with --set.

    Example: annotator codebook project.db --set codebook.toml
    """
    from annotator.core.codebook import default_codebook_path, load_codebook, rescaled

    new = load_codebook(new_file) if new_file is not None else None  # before an older project is upgraded
    with reading(db) if new is None else writing(db) as store:
        if new is not None and new_file is not None:
            reopened = store.browse.reopened_by(new)
            scales = rescaled(store.codebook(), new, {scheme for scheme, _ in store.used_label_values()})
            lost = store.set_codebook(new, new_file.read_text(encoding="utf-8"), force=force)
            click.echo(f"{db}: codebook replaced by {new_file} ({plural(len(new.schemes), 'scheme')}); "
                       "the codebook in force now:", err=True)
            for (scheme, value), n in lost.items():
                click.echo(f"warning: {plural(n, 'label')} kept that the new codebook does not read: {scheme}={value}",
                           err=True)
            if reopened:
                by = ", ".join(f"{c} {n}" for c, n in reopened.items())
                click.echo(f"note: the new codebook reopens {plural(sum(reopened.values()), 'done item')} ({by}): a required "
                           "scheme has no value there; they count as not done until the coder completes them "
                           "(no label was deleted)", err=True)
            for line in scales:
                click.echo(f"note: {line}", err=True)
        cb = store.codebook()
        if as_json:
            import json

            emit(json.loads(cb.to_json()))
        else:
            click.echo(store.codebook_toml() or default_codebook_path().read_text(encoding="utf-8"), nl=False)


@cli.command()
@db_argument
@user_errors
def check(db: Path) -> None:
    """Check every page of a project or coder's file (opening checks a large file only in part).

    Example: annotator check project.db
    """
    with reading(db) as store:
        store.check()
    click.echo(f"{db}: ok, every page and the schema checked")


@cli.command()
@db_argument
@user_errors
def upgrade(db: Path) -> None:
    """Bring a project made by an older version up to this one's schema, in place, once.

    The file as it was is kept beside it first (DB.bak-<date>-<time>). Opening it in the window or
    with a command that writes does the same; until then, a command that only reads works on an
    upgraded copy each time and leaves the file as it is.

    Example: annotator upgrade project.db
    """
    from annotator.core.store import Store, steps_to_upgrade

    steps = steps_to_upgrade(db)
    if not steps:
        click.echo(f"{db}: already at this version's schema, nothing to do")
        return
    kept: list[Path | None] = []
    Store(db, upgrading=lambda _steps, backup: kept.append(backup)).close()  # each step in its own transaction
    if not kept:  # another program upgraded it in between
        click.echo(f"{db}: already at this version's schema, nothing to do")
        return
    click.echo(f"{db}: upgraded to this version's schema ({plural(len(steps), 'step')}: {', '.join(steps)}); "
               f"the file as it was is kept as {kept[0]}")


@cli.command()
@db_argument
@json_option
@user_errors
def stats(db: Path, as_json: bool) -> None:
    """Items, sources, coders, and labels per coder and scheme.

    Example: annotator stats project.db --json
    """
    with reading(db) as store:
        data = store.browse.stats()
    if as_json:
        emit(data)
        return
    kinds = ", ".join(f"{figure(n)} {k}" for k, n in data["items_by_kind"].items()) or "none"
    click.echo(f"{plural(data['items'], 'item')} ({kinds}) from {plural(data['sources'], 'source')}; "
               f"{plural(data['gold'], 'gold label')}")
    for coder, c in data["coders"].items():
        schemes = ", ".join(f"{s} {n}" for s, n in c["schemes"].items())
        click.echo(f"  {coder}: {plural(c['items'], 'item')} touched, {c['done']:,} done, {c['flagged']:,} flagged; {schemes}")


@cli.command()
@click.argument("db", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--coder", help="Your name as a coder (asked once and remembered if not given).")
@click.option("--sample", is_flag=True, help="Open the bundled sample project (built on first use in your data folder).")
@user_errors
def gui(db: Path | None, coder: str | None, sample: bool) -> None:
    """Open the coding window on DB; without one, on the last project opened (the bundled
    sample project the first time).

    Example: annotator gui project.db --coder alice
    """
    from annotator.core.records import validate_coder

    if sample and db is not None:
        raise click.UsageError("give DB or --sample, not both")
    if coder is not None:
        coder = validate_coder(coder)
    if db is not None:
        _check_before_a_window(db, coder)
    from annotator.gui.app import run

    sys.exit(run(db, coder, sample=sample))


def _check_before_a_window(db: Path, coder: str | None = None) -> None:
    """Refuse a bad database, or a coder named like another but for case, here in one line,
    before any window opens. Read-only: a project made by an older version is the window's to
    upgrade, under a dialog that says so (its coder's name is checked there, once it is)."""
    from annotator.core.errors import NeedsUpgrade
    from annotator.core.store import Store

    try:
        with Store(db, readonly=True) as store:
            if coder is not None:
                store.labels.check_coder_name(coder)
    except NeedsUpgrade:
        pass


# == import ==========================================================================


@cli.command("import")
@db_argument
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(IMPORT_FORMATS), default="auto", show_default=True,
              help="How to read the files.")
@click.option("--spokesperson", help="Spokesperson for files that do not name one.")
@click.option("--date", "date_", metavar="YYYY-MM-DD", callback=lambda c, p, v: iso_date(v),
              help="Date for files that do not give one.")
@click.option("--outlet", help="Outlet for questions that do not name one.")
@click.option("--dry-run", is_flag=True, help="Parse and report; write nothing.")
@click.option("--allow-copies", is_flag=True,
              help="Import a copy of a source already here (the same pairs) with items of its own.")
@click.option("--report", "report_file", type=click.Path(path_type=Path), metavar="FILE",
              help="Write what was found in each file (JSON Lines; CSV if FILE ends in .csv).")
@json_option
@user_errors
def import_(db: Path, paths: tuple[Path, ...], fmt: str, spokesperson: str | None, date_: str | None,
            outlet: str | None, dry_run: bool, allow_copies: bool, report_file: Path | None, as_json: bool) -> None:
    """Import transcripts (files or folders) into a project, creating it if missing.

    Each file joins the conference its page names (printed per file); a copy of a source
    already in the project joins that source's conference and adds no items.

    Example: annotator import project.db transcripts/ --format auto --report import.csv
    """
    from annotator.core.import_report import SKIPPED, open_report, write_report
    from annotator.core.import_run import check_paths, import_paths

    check_paths(list(paths))  # before the project is made, or opened and upgraded if older
    report = None if report_file is None else open_report(report_file, db, list(paths))  # before anything is imported
    try:
        options = dict(fmt=fmt, spokesperson=spokesperson, date=date_, outlet=outlet)
        if dry_run:
            summary = import_paths(None, list(paths), **options)
        else:
            with writing(db, create=True) as store, terminal_progress("Importing") as progress:
                summary = import_paths(store, list(paths), progress=progress, allow_copies=allow_copies, **options)
        why = summary.nothing_imported()
        # The one failure, or the one file skipped, is the error line itself: said once, not twice.
        alone = why is not None and len(summary.failed) == 1
        alone_skipped = why is not None and not summary.failed and len(summary.notes) == 1
        for line in [] if alone else summary.failed:
            click.echo(f"error: {line}", err=True)
        for line in summary.warnings + ([] if alone_skipped else summary.notes):
            click.echo(f"note: {line}", err=True)
        if report is not None:
            write_report(report, summary.records, written=None if dry_run else summary.written(db))
            to_check = sum(1 for r in summary.records if r.check)
            click.echo(f"report: {plural(len(summary.records), 'file')}, {to_check:,} to check, in {report_file}",
                       err=True)
    finally:
        if report is not None:
            report.abort()  # the temporary file, if the import stopped before the report was written
    if as_json:
        emit(summary.to_dict())
    else:
        for rec in summary.records:
            if rec.conference is not None:
                copy = f" (copy of {rec.copy_of}: no items added)" if rec.copy_of else ""
                verb = "would join" if dry_run else "in" if rec.status == "already imported" else "joined"
                click.echo(f"{Path(rec.file).name}: {verb} conference {rec.conference}{copy}")
        click.echo(summary.line(dry_run))
    if alone:
        raise AnnotatorError(f"{summary.failed[0]}; nothing imported")
    if alone_skipped:
        skipped = next((r.file for r in summary.records if r.status == SKIPPED), paths[0])
        raise AnnotatorError(f"{skipped}: {summary.notes[0].split(': ', 1)[-1]}; nothing imported")
    if why is not None:
        raise AnnotatorError(f"{paths[0] if len(paths) == 1 else 'import'}: {why}")
    if summary.failed:
        sys.exit(1)

# == corrections of the importer's work ================================================


@cli.command()
@db_argument
@click.argument("item", required=False)
@click.option("--coder", required=True, help="Who corrects (recorded with the correction).")
@click.option("--split", "split_at", type=int, metavar="N", help="Split the item before its paragraph N (from 1).")
@click.option("--merge-next", is_flag=True, help="Merge the item with the next item of its conference.")
@click.option("--question", type=int, metavar="N", help="The first N paragraphs are the question, the rest the answer.")
@click.option("--outlet", help="Set the outlet ('' clears it).")
@click.option("--spokesperson", help="Set the spokesperson ('' clears it).")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="Set the date ('' clears it).")
@click.option("--flag", "flag_note", metavar="NOTE", help="Flag an import problem for the lead, changing nothing.")
@click.option("--undo", is_flag=True, help="Undo this coder's latest correction.")
@json_option
@user_errors
def correct(db: Path, item: str | None, coder: str, split_at: int | None, merge_next: bool, question: int | None,
            outlet: str | None, spokesperson: str | None, date_: str | None, flag_note: str | None, undo: bool,
            as_json: bool) -> None:
    """Correct what the importer got wrong in ITEM (an id or uid): one correction, with history.

    Example: annotator correct project.db 42 --split 3 --coder lead
    """
    from annotator.core.corrections import correct as run_correction
    from annotator.core.records import validate_coder

    coder = validate_coder(coder)
    with writing(db) as store:
        if undo:
            if item is not None:
                raise AnnotatorError("correct --undo: undoes the coder's latest correction; name no item")
            result = store.corrections.undo(coder)
            if result is None:
                raise AnnotatorError(f"{db}: {coder} has no correction to undo")
        else:
            if item is None:
                raise AnnotatorError("correct: name the item (its id or uid), or give --undo")
            result = run_correction(store, item, coder, split=split_at, merge_next=merge_next, question=question,
                                    edits={"outlet": outlet, "spokesperson": spokesperson, "date": date_},
                                    flag=flag_note)
    if as_json:
        emit(result)
    else:
        click.echo(result["line"])


@cli.command("corrections")
@db_argument
@click.option("--flags", "flags_only", is_flag=True, help="Only the import problems coders flagged.")
@json_option
@user_errors
def corrections_cmd(db: Path, flags_only: bool, as_json: bool) -> None:
    """List the corrections of items (and flagged import problems), and the items to look at again.

    Example: annotator corrections project.db --flags
    """
    with reading(db) as store:
        rows = store.corrections.listing(op="flag" if flags_only else None)
        look = store.corrections.to_look_at()
    if as_json:
        emit({"corrections": rows, "look_again": [{"item_id": i, "coder": c} for i, c in look]})
        return
    for r in rows:
        undone = " (undone)" if r["undone"] else ""
        where = f"item {r['item_id']}" if r["item_id"] is not None else f"uid {r['item_uid']}"
        line = r["record"]["line"] if r["record"] else r["op"]
        click.echo(f"{r['at'][:19]} {r['coder']}: {r['op']} {where}{undone}: {line}")
        for coder, fld, value in (r["record"] or {}).get("kept_aside", []):
            import json

            click.echo(f"    kept aside: {coder}'s {fld} = {json.dumps(value, ensure_ascii=False)} (the merged item has another)")
    if not rows:
        click.echo("no flags" if flags_only else "no corrections")
    if look and not flags_only:
        click.echo("look again: " + ", ".join(f"item {i} ({c})" for i, c in look))


@cli.command("conferences")
@db_argument
@click.option("--link", "link", nargs=2, metavar="SOURCE CONFERENCE",
              callback=not_empty("a SOURCE and a CONFERENCE"),
              help="Move SOURCE (its id, file name or sha256) into CONFERENCE (an id from the listing).")
@click.option("--unlink", "unlink", metavar="SOURCE", callback=not_empty("a SOURCE (its id, file name or sha256)"),
              help="Take SOURCE out of its conference into one of its own.")
@click.option("--coder", help="Who corrects (recorded with --link/--unlink).")
@json_option
@user_errors
def conferences_cmd(db: Path, link: tuple[str, str] | None, unlink: str | None, coder: str | None,
                    as_json: bool) -> None:
    """List the conferences with their sources and item counts, or correct the importer's choice
    (the English-Chinese alignment of the conferences it touches is redone; hand alignments stay).

    Example: annotator conferences project.db --link 17 2018-05-11-foreign-ministry-press-conference --coder lead
    """
    from annotator.core import conferences, relinking

    if link is not None and unlink is not None:
        raise AnnotatorError("conferences: give --link or --unlink, not both")
    if link is not None or unlink is not None:
        if coder is None:
            raise AnnotatorError("conferences: --link and --unlink need --coder NAME (who corrects is recorded)")
        with writing(db) as store:
            result = (relinking.link(store, link[0], link[1], coder) if link is not None
                      else relinking.unlink(store, unlink or "", coder))
        if as_json:
            emit(result)
        else:
            click.echo(result["line"])
        return
    with reading(db) as store:
        listing = store.conferences.listed()
    if as_json:
        emit(conferences.listing_records(listing))
    else:
        click.echo("\n".join(conferences.listing_lines(listing)))


@cli.command("align")
@db_argument
@click.argument("item", required=False)
@click.option("--to", "other", metavar="OTHER_ITEM", help="Align ITEM with OTHER_ITEM (an id or uid) of the other language.")
@click.option("--none", "none_", is_flag=True, help="ITEM has no counterpart in the other language.")
@click.option("--all", "all_", is_flag=True, help="Align every conference with both languages again (hand corrections stay).")
@click.option("--coder", help="Who corrects (recorded with --to/--none).")
@json_option
@user_errors
def align_cmd(db: Path, item: str | None, other: str | None, none_: bool, all_: bool, coder: str | None,
              as_json: bool) -> None:
    """Show what ITEM is aligned with in the other language, or correct it by hand.

    Example: annotator align project.db 42 --to 97 --coder lead
    """
    from annotator.core import aligning

    if all_:
        if item or other or none_:
            raise AnnotatorError("align --all aligns every conference again; name no item")
        with writing(db) as store:
            links = aligning.align_all(store)
        if as_json:
            emit({"aligned": links})
        else:
            click.echo(f"{plural(links, 'English-Chinese pair')} aligned")
        return
    if item is None:
        raise AnnotatorError("align: name the item (its id or uid), or give --all")
    if other is not None and none_:
        raise AnnotatorError("align: give --to OTHER_ITEM or --none, not both")
    if other is not None or none_:
        if coder is None:
            raise AnnotatorError("align: --to and --none need --coder NAME (who corrects is recorded)")
        with writing(db) as store:
            result = aligning.align_by_hand(store, item, other, coder)
        if as_json:
            emit(result)
        else:
            click.echo(result["line"])
        return
    with reading(db) as store:
        item_id, found = aligning.shown(store, item)
    if as_json:
        emit(found)
    else:
        click.echo("\n".join(aligning.counterpart_lines(item_id, found)))


# == several coders: merge, assign, agreement, review, gold ==========================


@cli.command()
@db_argument
@click.argument("others", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--force", is_flag=True,
              help="Keep label values the codebook lacks (marked in the history), and merge a database with no item in common.")
@click.option("--ls-users", "ls_users", metavar="CODER=EMAIL|ID,...",
              help="Label Studio export: which user is which coder (default: an e-mail's local part).")
@json_option
@user_errors
def merge(db: Path, others: tuple[Path, ...], force: bool, ls_users: str | None, as_json: bool) -> None:
    """Bring other coders' databases or label files into DB (backed up first).

    OTHER is a project database, an 'annotator export --labels' file, a native
    JSONL export with 'annotations', Prodigy-style JSONL, or a Label Studio JSON
    export. Each file is merged in one transaction; merging a file twice changes nothing.

    Example: annotator merge project.db alice.db bob.db
    """
    from annotator.core.labelstudio_users import parse_users
    from annotator.core.merge import merge_files
    from annotator.core.merge.readers import detect

    users = parse_users(ls_users) if ls_users is not None else None
    for other in others:
        detect(other)  # what each file is, or its one line, before the project is opened (and upgraded if older)
    with writing(db) as store:
        backup, summaries = merge_files(store, list(others), force=force, ls_users=users)
    if as_json:
        emit({"backup": str(backup) if backup else None, "files": [s.to_dict() for s in summaries]})
        return
    click.echo(f"Backed up {db} to {backup}" if backup else f"Nothing in {db} changed; no backup taken")
    for s in summaries:
        click.echo(s.line())


@cli.command()
@db_argument
@click.option("--coders", help="Comma-separated coder names, e.g. alice,bob,carol.")
@click.option("--overlap", type=float, default=0.2, show_default=True,
              help="Share of items (per conference) given to two coders.")
@click.option("--seed", type=SEED, default=None, help="Random seed: the same seed gives the same assignment.")
@click.option("--ties-to", "ties_to", help="Assign items where 3+ coders are tied to this further coder.")
@json_option
@user_errors
def assign(db: Path, coders: str | None, overlap: float, seed: int | None, ties_to: str | None, as_json: bool) -> None:
    """Give every item to one coder and a share to two; or send ties to a further coder.

    Example: annotator assign project.db --coders alice,bob,carol --overlap 0.2 --seed 1
    """
    from annotator.core import assign as assigning

    if (coders is None) == (ties_to is None):
        raise AnnotatorError("assign: give either --coders a,b,c or --ties-to NAME")
    names = assigning.parse_coders(coders) if coders is not None else []
    if coders is not None:
        assigning.check_overlap(overlap, names)  # before the project is opened, and upgraded if older
    with writing(db) as store:
        if ties_to is not None:
            result = assigning.assign_ties(store, ties_to)
            line = f"{plural(result['tied_items'], 'tied item')}; {result['assigned']:,} newly assigned to {result['coder']}"
        else:
            result = assigning.assign(store, names, overlap, seed)
            per = ", ".join(f"{c} {n}" for c, n in result["per_coder"].items())
            line = (f"{plural(result['items'], 'item')} of {plural(result['conferences'], 'conference')} assigned,"
                    f" each conference to one coder; {result['double_coded']:,} also to a second coder: {per}")
    if as_json:
        emit(result)
    else:
        click.echo(line)


@cli.command()
@db_argument
@click.option("--scheme", help="Only this scheme.")
@click.option("--coders", help="Only these coders, comma-separated, e.g. alice,bob.")
@click.option("--bootstrap", type=click.IntRange(0, 100_000), default=1000, show_default=True,
              help="Bootstrap resamples for alpha's 95% interval (0: none).")
@click.option("--seed", type=SEED, default=0, show_default=True, help="Seed of the bootstrap.")
@click.option("--by", "by", type=click.Choice(["conference", "year"]),
              help="Alpha and percent agreement within each conference (or year) instead; no interval.")
@json_option
@user_errors
def agreement(db: Path, scheme: str | None, coders: str | None, bootstrap: int, seed: int, by: str | None,
              as_json: bool) -> None:
    """How far the coders agree, per scheme: alpha, kappas, AC1/AC2, per option.

    Example: annotator agreement project.db --scheme tone --coders alice,bob
    """
    from annotator.core.agreement.project import agreement_table, grouped_agreement, grouped_table, project_agreement

    if by is not None:
        with reading(db) as store:
            grouped = grouped_agreement(store, by, scheme=scheme, coders=coders.split(",") if coders else None, seed=seed)
        if as_json:
            emit(grouped)
        else:
            click.echo(grouped_table(grouped, by), nl=False)
        return
    with reading(db) as store:
        results = project_agreement(
            store, scheme=scheme, coders=coders.split(",") if coders is not None else None,
            bootstrap=bootstrap, seed=seed,
        )
    if as_json:
        emit(results)
    else:
        click.echo(agreement_table(results), nl=False)


@cli.command()
@db_argument
@click.option("-o", "--output", metavar="FILE|-", help="File to write (- for stdout); the format follows its name.")
@click.option("--format", "fmt", type=click.Choice(["html", "md", "tex", "json"]),
              help="html (one self-contained file with pictures), md or tex (the table a paper pastes in), json.")
@click.option("--scheme", help="Only this scheme.")
@click.option("--by", type=click.Choice(["coder-week", "month", "conference"]), default="coder-week",
              show_default=True, help="Periods of the drift picture: week of coding, month of the conference, conference.")
@click.option("--bootstrap", type=click.IntRange(0, 100_000), default=1000, show_default=True,
              help="Bootstrap resamples for alpha's 95% interval (0: none).")
@click.option("--seed", type=SEED, default=0, show_default=True, help="Seed of the bootstrap.")
@json_option
@user_errors
def report(db: Path, output: str | None, fmt: str | None, scheme: str | None, by: str, bootstrap: int, seed: int,
           as_json: bool) -> None:
    """The reliability report for a methods section: a table per scheme, pictures, what became of disagreements.

    Example: annotator report project.db -o reliability.html
    """
    from annotator.core.report.output import check_output, format_for

    if as_json:
        if fmt not in (None, "json"):
            raise AnnotatorError(f"--json and --format {fmt} ask for two formats; give one")
        fmt = "json"
    if output is None:
        if fmt is None:
            raise AnnotatorError("report: give -o FILE (report.html, table.md, table.tex, report.json) or --json")
        output = "-"
    fmt = format_for(output, fmt)
    check_output(output, db)
    from annotator.core.report import build_report, write_report

    with reading(db) as store:
        result = build_report(store, scheme=scheme, by=by, bootstrap=bootstrap, seed=seed)
    write_report(result, output, fmt)
    if output != "-":
        click.echo(f"{output}: the reliability report ({fmt}), {plural(len(result['schemes']), 'scheme')}", err=True)


@cli.command()
@db_argument
@click.option("--reviewer", help="Your name as reviewer (default: remembered from the window's settings).")
@user_errors
def review(db: Path, reviewer: str | None) -> None:
    """Open the review window: disagreements side by side, one decision each.

    Example: annotator review project.db --reviewer lead
    """
    from annotator.core.records import validate_coder

    if reviewer is not None:
        reviewer = validate_coder(reviewer)
    _check_before_a_window(db)
    from annotator.gui.review_app import run_review

    sys.exit(run_review(db, reviewer))


@cli.command()
@db_argument
@click.option("--accept-unanimous", "accept", is_flag=True,
              help="Make every item where 2+ coders labelled a scheme and all agree gold.")
@click.option("--scheme", help="Only this scheme.")
@click.option("--skip-empty", is_flag=True,
              help="Leave out unanimous empty sets (every coder ticked none of a multi-choice scheme's options).")
@click.option("--reviewer", default="lead", show_default=True, help="Who decides (recorded with each gold label).")
@json_option
@user_errors
def gold(db: Path, accept: bool, scheme: str | None, skip_empty: bool, reviewer: str, as_json: bool) -> None:
    """Decide gold labels in bulk.

    Example: annotator gold project.db --accept-unanimous --reviewer lead
    """
    from annotator.core.records import validate_coder
    from annotator.core.review import accept_unanimous

    if not accept:
        raise AnnotatorError("gold: nothing to do; use --accept-unanimous (single decisions: 'annotator review')")
    reviewer = validate_coder(reviewer)
    with writing(db) as store:
        result = accept_unanimous(store, reviewer, scheme=scheme, skip_empty=skip_empty)
    if as_json:
        emit(result)
        return
    per = ", ".join(f"{s} {n}" for s, n in result["per_scheme"].items()) or "none"
    empty = (f"{plural(result['skipped_empty'], 'unanimous empty set')} left out" if skip_empty
             else f"{plural(result['empty_sets'], 'empty set')} among them (none of the options)")
    outside = result["outside_codebook"]
    left = (f"; {plural(sum(outside.values()), 'unanimous label')} left out, with a value the codebook lacks "
            f"({', '.join(f'{s} {n}' for s, n in outside.items())})" if outside else "")
    click.echo(
        f"{plural(result['accepted'], 'unanimous label')} accepted as gold ({per}); {empty}; "
        f"{result['already_gold']:,} already gold; {plural(result['gold_total'], 'gold label')} in all{left}"
    )


# == export ==========================================================================


@cli.command("export")
@db_argument
@click.option("-o", "--output", default="-", show_default=True, metavar="FILE|-",
              help="File to write; - writes to stdout.")
@click.option("--format", "fmt", type=click.Choice(["native", "prodigy", "spacy", "spacy-jsonl", "labelstudio"]),
              default="native", show_default=True, help="Record format (spacy: -o FOLDER of DocBin files and config.cfg).")
@click.option("--gold", is_flag=True, help="Adjudicated labels, else labels all of >= 2 coders agree on.")
@click.option("--coder", help="One coder's labels.")
@click.option("--all-coders", is_flag=True, help="Every coder's labels (the default, except for spacy).")
@click.option("--include-unlabelled", is_flag=True, help="Also export items without labels.")
@click.option("--text", "text_mode", type=click.Choice(["pair", "answer", "question"]), default="pair",
              show_default=True, help="What the record's text is: question and answer, or one of them.")
@click.option("--scheme", help="Only this scheme (required for --format spacy-jsonl).")
@click.option("--split", "split_spec", metavar="NAME=FRAC,...",
              help="Write FILE.train/.dev/.test..., whole conferences per split, e.g. train=0.8,dev=0.1,test=0.1.")
@click.option("--seed", type=SEED, default=0, show_default=True, help="Seed of --split: same seed, same split.")
@click.option("--labels", "labels_file", is_flag=True,
              help="Write a label file (labels, uids, history; no transcript text) for 'annotator merge'.")
@click.option("--ls-users", "ls_users", metavar="CODER=EMAIL,...",
              help="Label Studio: own each coder's annotations by this user (e-mail or id); without it, predictions.")
@click.option("--provenance", is_flag=True,
              help="With --gold (native): per scheme, who decided, how, when, why and each coder's value.")
@click.option("--with-translation", "with_translation", is_flag=True,
              help="Native: each pair's aligned pair(s) in the other language (English for Chinese, Chinese for English).")
@click.option("--language", type=click.Choice(["en", "zh"]),
              help="Only the pairs of English (en) or Chinese (zh) pages; --format spacy then trains that language's pipeline.")
@user_errors
def export_cmd(
    db: Path, output: str, fmt: str, gold: bool, coder: str | None, all_coders: bool,
    include_unlabelled: bool, text_mode: str, scheme: str | None, split_spec: str | None,
    seed: int, labels_file: bool, ls_users: str | None, provenance: bool, with_translation: bool,
    language: str | None,
) -> None:
    """Export labelled items as JSONL for training (or a label file with --labels).

    Example: annotator export project.db -o train.jsonl --gold --split train=0.8,dev=0.1,test=0.1
    """
    from annotator.core.export import ExportOptions, export, parse_split
    from annotator.core.labelstudio_users import parse_users

    if gold + (coder is not None) + all_coders > 1:
        raise AnnotatorError("choose one of --gold, --coder NAME, --all-coders")
    selection = "gold" if gold else "coder" if coder is not None else "all" if all_coders else None
    options = ExportOptions(
        format=fmt, selection=selection, coder=coder, include_unlabelled=include_unlabelled,
        text=text_mode, scheme=scheme, split=parse_split(split_spec) if split_spec is not None else None,
        seed=seed, labels_file=labels_file, ls_users=parse_users(ls_users) if ls_users is not None else None,
        provenance=provenance, with_translation=with_translation, language=language,
    )
    with reading(db) as store:
        total = store.items.count()
        if sys.stderr.isatty() and total:
            with click.progressbar(length=total, label="Exporting", file=sys.stderr) as bar:
                def progress(done: int, _total: int) -> None:
                    bar.update(done - bar.pos)

                summary = export(store, options, output, progress)
        else:
            summary = export(store, options, output)
    for line in summary.split_warnings:
        click.echo(f"warning: {line}", err=True)
    click.echo(summary.line(), err=True)


@cli.command("labelstudio-users")
@click.argument("url")
@click.option("--ls-users", "ls_users", required=True, metavar="CODER=EMAIL,...", help="The users to create.")
@click.option("--token", envvar="LABEL_STUDIO_API_KEY", help="API token (default: $LABEL_STUDIO_API_KEY).")
@click.option("--print", "print_only", is_flag=True, help="Print the curl commands instead of running them.")
@user_errors
def labelstudio_users(url: str, ls_users: str, token: str | None, print_only: bool) -> None:
    """Create in Label Studio the users that 'export --ls-users' names (existing ones are kept).

    Example: annotator labelstudio-users http://localhost:8080 --ls-users alice=alice@lab.org,bob=bob@lab.org
    """
    from annotator.core.labelstudio_users import create_users, curl_commands, parse_users

    users = parse_users(ls_users)
    if print_only:
        click.echo("\n".join(curl_commands(url, users)))
        return
    if not token:
        raise AnnotatorError("labelstudio-users: give --token or set LABEL_STUDIO_API_KEY (Account & Settings in Label Studio)")
    for coder, email, user_id, created in create_users(url, token, users):
        click.echo(f"{'created' if created else 'exists '} {coder}: {email} (user {user_id})")


# == the suggestion model ==============================================================


@cli.group("model", invoke_without_command=False)
@db_argument
@click.pass_context
def model_group(ctx: click.Context, db: Path) -> None:
    """Suggestions learnt from the project's labels: train, evaluate, status, suggest, order.

    Example: annotator model project.db train --from gold,consensus
    """
    ctx.obj = db


@model_group.command("train")
@click.option("--scheme", help="Only this scheme (default: every scheme with the labels for it).")
@click.option("--from", "sources", metavar="SOURCES",
              help="What to learn from: gold, consensus, single, comma-separated (default: the project's setting, "
                   "first gold,consensus). The choice is kept for later training.")
@click.option("--seed", type=SEED, default=None, help="Seed: the same labels and seed train the same model (default 0).")
@json_option
@click.pass_obj
@user_errors
def model_train(db: Path, scheme: str | None, sources: str | None, seed: int | None, as_json: bool) -> None:
    """Train the models and keep them in the project file.

    Example: annotator model project.db train --from gold,consensus
    """
    from annotator.core.model import settings as model_settings
    from annotator.core.model.records import parse_sources
    from annotator.core.model.training import train

    chosen = parse_sources(sources) if sources is not None else None
    with writing(db) as store, terminal_progress("training") as bar:
        result = train(store, scheme=scheme, sources=chosen, seed=seed, progress=lambda d, t: bar(d, t, db))
        if chosen is not None or seed is not None:
            model_settings.update(store, sources=chosen, seed=seed)
    if as_json:
        emit(result)
        return
    for name, t in result["trained"].items():
        origins = ", ".join(f"{k} {n}" for k, n in t["origins"].items())
        left = f"; too few examples of {', '.join(t['left_out'])} to learn" if t["left_out"] else ""
        click.echo(f"{name}: trained on {plural(t['examples'], 'item')} ({origins}), {plural(len(t['options']), 'option')}{left}")
    for name, why in result["skipped"].items():
        click.echo(f"{name}: not trained: {why}")


@model_group.command("evaluate")
@click.option("--scheme", help="Only this scheme.")
@click.option("--from", "sources", metavar="SOURCES", help="What to learn from (default: the project's setting).")
@click.option("--seed", type=SEED, default=None, help="Seed (default: the project's setting).")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True,
              help="Folds, of whole conferences (fewer if there are fewer conferences).")
@json_option
@click.pass_obj
@user_errors
def model_evaluate(db: Path, scheme: str | None, sources: str | None, seed: int | None, folds: int,
                   as_json: bool) -> None:
    """Cross-validate by conference: per scheme F1 or accuracy beside the majority baseline.

    Example: annotator model project.db evaluate --json
    """
    from annotator.core.model.evaluation import evaluate, evaluation_table
    from annotator.core.model.records import parse_sources

    chosen = parse_sources(sources) if sources is not None else None
    with reading(db) as store, terminal_progress("evaluating") as bar:
        result = evaluate(store, scheme=scheme, sources=chosen, seed=seed, folds=folds,
                          progress=lambda d, t: bar(d, t, db))
    if as_json:
        emit(result)
    else:
        click.echo(evaluation_table(result), nl=False)


@model_group.command("status")
@json_option
@click.pass_obj
@user_errors
def model_status(db: Path, as_json: bool) -> None:
    """Per scheme: trained or not, on what, usable or why not, suggestions on or off.

    Example: annotator model project.db status
    """
    from annotator.core.model.status import status, status_lines

    with reading(db) as store:
        result = status(store)
    if as_json:
        emit(result)
    else:
        click.echo(status_lines(result), nl=False)


@model_group.command("suggest")
@click.option("--on", "on", metavar="SCHEMES", callback=scheme_names,
              help="Show suggestions for these schemes (comma-separated, or 'all').")
@click.option("--off", "off", metavar="SCHEMES", callback=scheme_names,
              help="Stop showing suggestions for these schemes (or 'all').")
@json_option
@click.pass_obj
@user_errors
def model_suggest(db: Path, on: list[str] | None, off: list[str] | None, as_json: bool) -> None:
    """Turn the coding window's suggestions on or off per scheme, for everyone who codes this project.

    Example: annotator model project.db suggest --on topics,tone
    """
    from annotator.core.model import settings as model_settings

    if on is None and off is None:
        raise AnnotatorError("model suggest: give --on SCHEMES or --off SCHEMES (e.g. --on topics,tone)")
    # A scheme both on and off would silently end off. '--on all --off tone' (all but tone) names
    # tone once, and is meant.
    both = [name for name in on or [] if name in (off or [])]
    if both:
        raise click.UsageError(f"--on and --off both name {', '.join(both)}; name each scheme in one of them",
                               click.get_current_context())
    with writing(db) as store:
        every = [s.name for s in store.codebook().schemes]
        result = model_settings.update(store, suggest_on=every if on == ["all"] else on or [],
                                       suggest_off=every if off == ["all"] else off or [])
    if as_json:
        emit(result)
    else:
        click.echo(f"suggestions on for: {', '.join(result['suggest']) or 'no scheme'}")


@model_group.command("order")
@click.argument("order", required=False)
@json_option
@click.pass_obj
@user_errors
def model_order(db: Path, order: str | None, as_json: bool) -> None:
    """What Enter's "next" follows in a coder's assignment: document (default), uncertain, mixed.

    document: the transcripts' order. uncertain: of the next 200 items not done, the one the
    models are least sure of. mixed: the least sure of the next 8. The reliability sample
    always keeps document order. Without ORDER, print the order in force.

    Example: annotator model project.db order mixed
    """
    from annotator.core.model import settings as model_settings

    if order is None:
        with reading(db) as store:
            result = model_settings.read(store)
    else:
        model_settings.check_order(order)  # before the project is opened, and upgraded if older
        with writing(db) as store:
            result = model_settings.update(store, order=order)
    if as_json:
        emit({"order": result["order"]})
    else:
        click.echo(f"next follows: {result['order']}")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
