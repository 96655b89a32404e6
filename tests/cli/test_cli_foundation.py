"""init, codebook, stats and gui: happy paths, and one clear line for every bad input."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
from click.testing import CliRunner

from annotator.cli import cli
from annotator.core.codebook import default_codebook_path
from annotator.core.store import Store
from tests.helpers import mark_done

BAD_CODEBOOK = 'name = "x"\n[[schemes]]\nname = "tone"\nkind = "single"\n'


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_init_creates_a_project_with_the_default_codebook(tmp_path) -> None:
    db = tmp_path / "p.db"
    result = run("init", db)
    assert result.exit_code == 0, result.output
    assert "Created" in result.output and "4 schemes" in result.output
    with Store(db) as store:
        assert store.codebook().scheme("tone").ordered


def test_init_with_a_codebook_and_refusing_an_existing_file(tmp_path) -> None:
    cb = tmp_path / "cb.toml"
    cb.write_text('name = "mine"\n[[schemes]]\nname = "tone"\nkind = "single"\n[[schemes.options]]\nvalue = "firm"\nkey = "1"\n')
    db = tmp_path / "p.db"
    assert run("init", db, "--codebook", cb).exit_code == 0
    again = run("init", db)
    assert again.exit_code == 1 and f"Error: {db}: already exists" in again.output


def test_codebook_prints_toml_and_json(project_path) -> None:
    result = run("codebook", project_path)
    assert result.exit_code == 0 and 'name = "topics"' in result.output
    data = json.loads(run("codebook", project_path, "--json").output)
    assert [s["name"] for s in data["schemes"]] == ["topics", "tone", "question_stance", "rhetoric"]


def test_codebook_set_refuses_to_orphan_then_forces(project_path, tmp_path) -> None:
    with Store(project_path) as store:
        store.labels.set(2, "alice", "tone", "firm")
    new = tmp_path / "new.toml"
    new.write_text('name = "small"\n[[schemes]]\nname = "tone"\nkind = "single"\n[[schemes.options]]\nvalue = "warm"\nkey = "1"\n')
    refused = run("codebook", project_path, "--set", new)
    assert refused.exit_code == 1
    assert "would orphan labels: tone=firm (1); use --force" in refused.output
    forced = run("codebook", project_path, "--set", new, "--force")
    assert forced.exit_code == 0
    assert "warning: 1 label kept that the new codebook does not read: tone=firm" in forced.output
    with Store(project_path) as store:
        assert store.codebook().name == "small"


def test_a_new_required_scheme_reopens_done_items_and_deletes_no_label(project_path, tmp_path) -> None:
    with Store(project_path) as store:
        for item_id, coder in [(2, "alice"), (3, "alice"), (2, "bob")]:
            mark_done(store, item_id, coder)
        labels = len(list(store.labels.rows()))
        toml = store.codebook_toml() or default_codebook_path().read_text(encoding="utf-8")
    new = tmp_path / "new.toml"
    new.write_text(toml.replace('title = "Rhetorical acts in the answer"',
                                'title = "Rhetorical acts in the answer"\nrequired = true'), encoding="utf-8")
    result = run("codebook", project_path, "--set", new)
    assert result.exit_code == 0, result.output
    assert ("note: the new codebook reopens 3 done items (alice 2, bob 1): a required scheme has no value there; "
            "they count as not done until the coder completes them (no label was deleted)") in result.output
    with Store(project_path, readonly=True) as store:
        assert len(list(store.labels.rows())) == labels
        assert store.browse.list_rows([2, 3], "alice")[2].status == "incomplete"
        assert store.labels.annotation(2, "alice").done  # what the coder pressed stays as it was
    again = run("codebook", project_path, "--set", new)
    assert "reopens" not in again.output  # nothing more to reopen


def test_reordering_an_ordered_scheme_says_its_ordinal_agreement_changes(project_path, tmp_path) -> None:
    # Swapping 'firm' and 'neutral' on the ordered tone scale was taken without a word, and the
    # same labels then gave another ordinal alpha in agreement and the report.
    with Store(project_path) as store:
        store.labels.set(2, "alice", "tone", "firm")
    toml = default_codebook_path().read_text(encoding="utf-8")
    swapped = (toml.replace('value = "firm"', 'value = "@"').replace('value = "neutral"', 'value = "firm"')
               .replace('value = "@"', 'value = "neutral"'))
    new, unordered = tmp_path / "new.toml", tmp_path / "unordered.toml"
    new.write_text(swapped, encoding="utf-8")
    result = run("codebook", project_path, "--set", new)
    assert result.exit_code == 0, result.output
    assert ("note: the ordered scheme 'tone' now orders its options confrontational, neutral, firm, conciliatory, "
            "warm (was confrontational, firm, neutral, conciliatory, warm): its ordinal alpha measures the same "
            "labels' distances in the new order") in result.output
    assert "note:" not in run("codebook", project_path, "--set", new).output  # the same order again
    unordered.write_text(swapped.replace("ordered = true\n", "", 1), encoding="utf-8")
    assert ("note: scheme 'tone' is no longer ordered: its agreement is nominal alpha from now on, on the same "
            "labels") in run("codebook", project_path, "--set", unordered).output


def test_stats_human_and_json(project_path) -> None:
    with Store(project_path) as store:
        store.labels.set(2, "alice", "tone", "firm")
    human = run("stats", project_path)
    assert human.exit_code == 0
    assert "5 items (4 qa, 1 statement) from 1 source; 0 gold labels" in human.output
    assert "alice: 1 item touched" in human.output
    data = json.loads(run("stats", project_path, "--json").output)
    assert data["coders"]["alice"]["schemes"] == {"tone": 1}


@pytest.mark.parametrize(
    "args, message",
    [
        (["stats", "{missing}"], "no such project database"),
        (["stats", "{text}"], "not an SQLite database"),
        (["codebook", "{db}", "--set", "{badcb}"], "scheme 'tone': the scheme has no options"),
        (["codebook", "{db}", "--set", "{missing}"], "no such codebook file"),
        (["init", "{tmp}/nowhere/p.db"], "cannot create the project database (no folder"),
        (["gui", "{db}", "--coder", "  "], "coder name is empty"),
        (["gui", "{text}"], "not an SQLite database"),
    ],
)
def test_bad_input_gets_one_line_and_exit_1(args, message, project_path, tmp_path) -> None:
    (tmp_path / "notes.txt").write_text("just text")
    (tmp_path / "bad.toml").write_text(BAD_CODEBOOK)
    values = {
        "missing": tmp_path / "missing.db", "text": tmp_path / "notes.txt", "db": project_path,
        "badcb": tmp_path / "bad.toml", "tmp": tmp_path,
    }
    before = project_path.read_bytes()
    result = run(*[a.format(**values) for a in args])
    assert result.exit_code == 1
    assert message in result.output
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    assert project_path.read_bytes() == before


def test_gui_refuses_a_new_coder_named_like_another_but_for_case(project_path) -> None:
    with Store(project_path) as store:
        store.labels.set(2, "alice", "tone", "firm")
    before = project_path.read_bytes()
    result = run("gui", project_path, "--coder", "ALICE")
    assert result.exit_code == 1
    assert result.output == (f"Error: {project_path}: coder 'ALICE' differs only in case from 'alice', who already "
                             "codes this project; open it as 'alice' or choose another name\n")
    assert project_path.read_bytes() == before


def test_a_real_process_prints_no_traceback(tmp_path) -> None:
    (tmp_path / "notes.txt").write_text("just text")
    proc = subprocess.run(
        [sys.executable, "-m", "annotator.cli", "stats", str(tmp_path / "notes.txt")],
        capture_output=True, text=True,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == f"Error: {tmp_path / 'notes.txt'}: not an SQLite database\n"


def test_unknown_flag_is_a_usage_error(project_path) -> None:
    result = run("stats", project_path, "--colour")
    assert result.exit_code == 2
    assert result.output == "Error: No such option '--colour'. (see 'cli stats --help')\n"
    missing = run("stats")
    assert missing.exit_code == 2 and missing.output.count("\n") == 1 and "Missing argument 'DB'" in missing.output


# What `annotator --version` and `--help` must not load: each costs a tenth of a second or
# more at start-up (the store's sqlite-utils, numpy, the importers' BeautifulSoup).
HEAVY = ("sqlite_utils", "numpy", "bs4", "annotator.core.store", "annotator.core.importers")


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_start_up_loads_only_what_the_command_uses(flag) -> None:
    code = (
        "import sys\nfrom annotator.launch import main\n"
        f"sys.argv = ['annotator', {flag!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('loaded:', [m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.splitlines()[0].startswith("annotator, version" if flag == "--version" else "Usage:")
    assert proc.stdout.splitlines()[-1] == "loaded: []"


def test_a_command_that_opens_a_project_never_loads_pandas(tmp_path) -> None:
    # sqlite-utils imports pandas when it is installed; the console script marks it absent until
    # sqlite-utils has loaded (launch.py), also when a command imports the store in its own body.
    db = tmp_path / "p.db"
    Store(db, create=True).close()
    code = (
        "import sys\nfrom annotator.launch import main\n"
        f"sys.argv = ['annotator', 'stats', {str(db)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('sqlite_utils' in sys.modules, sys.modules.get('pandas', 'unmarked'))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.splitlines()[-1] == "True unmarked"


def _no_display_here() -> int:
    """A local X display number with nothing on it: no socket file (a TCP port 6000+N on this
    machine is as free as any unused port)."""
    return next(n for n in range(4711, 4811) if not os.path.exists(f"/tmp/.X11-unix/X{n}"))


def _window_in_a_subprocess(tmp_path, args: list[str], **env_set: str) -> subprocess.CompletedProcess:
    db = tmp_path / "p.db"
    if not db.exists():
        assert run("init", db).exit_code == 0
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["HOME"] = str(tmp_path)  # the sample project, were it built, lands here and not in the user's data
    env.update(env_set)
    return subprocess.run([sys.executable, "-m", "annotator.cli", *(a.format(db=db) for a in args)],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("args", [["gui", "--sample"], ["review", "{db}"]])
def test_a_window_with_no_display_is_one_line(tmp_path, args) -> None:
    # Over ssh, with neither X11 nor Wayland, Qt aborted the process (status 134, a core dump)
    # after a page of plugin messages that blamed a missing libxcb-cursor0.
    proc = _window_in_a_subprocess(tmp_path, args)
    assert proc.returncode == 1
    assert proc.stderr == ("Error: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set): "
                           "run it in a desktop session, or under a virtual display (xvfb-run)\n")


@pytest.mark.parametrize("args", [["gui", "--sample"], ["review", "{db}"]])
@pytest.mark.parametrize("form", [":{n}", "unix:{n}.0"])
def test_a_window_on_a_display_that_is_not_running_is_one_line(tmp_path, args, form) -> None:
    # DISPLAY left over from a closed VNC or Xvfb session: Qt aborted the process (status 134)
    # after a page of plugin messages blaming libxcb-cursor0, as with no DISPLAY at all.
    n = _no_display_here()
    display = form.format(n=n)
    proc = _window_in_a_subprocess(tmp_path, args, DISPLAY=display)
    assert proc.returncode == 1
    assert proc.stderr == (f"Error: no display to open the window on: DISPLAY={display} is a display on this "
                           f"machine that no X server answers on (nothing listening at /tmp/.X11-unix/X{n}): "
                           "run it in a desktop session, or under a virtual display (xvfb-run)\n")


def test_a_window_on_a_wayland_display_that_is_not_running_is_one_line(tmp_path) -> None:
    n = _no_display_here()
    proc = _window_in_a_subprocess(tmp_path, ["review", "{db}"], DISPLAY=f":{n}", WAYLAND_DISPLAY="wayland-9",
                                   XDG_RUNTIME_DIR=str(tmp_path))
    assert proc.returncode == 1
    assert proc.stderr == (f"Error: no display to open the window on: DISPLAY=:{n} is a display on this machine "
                           f"that no X server answers on (nothing listening at /tmp/.X11-unix/X{n}) and "
                           f"WAYLAND_DISPLAY=wayland-9 is a display that no Wayland compositor answers on "
                           f"(nothing listening at {tmp_path / 'wayland-9'}): "
                           "run it in a desktop session, or under a virtual display (xvfb-run)\n")
    alone = _window_in_a_subprocess(tmp_path, ["gui", "--sample"], WAYLAND_DISPLAY="wayland-9")
    assert alone.returncode == 1
    assert "Error: no display to open the window on: WAYLAND_DISPLAY=wayland-9 is a socket's name in " \
           "XDG_RUNTIME_DIR, which is not set: " in alone.stderr and alone.stderr.count("\n") == 1


def test_a_display_that_may_run_is_left_to_qt(tmp_path, monkeypatch) -> None:
    # Refusing a display that works would be worse than Qt's abort: another host's display, or a
    # socket something listens on, is tried.
    from annotator.gui.display import no_display

    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_SOCKET", raising=False)
    monkeypatch.setenv("DISPLAY", f":{_no_display_here()}")
    monkeypatch.setenv("WAYLAND_DISPLAY", str(tmp_path / "wl"))
    assert no_display() is not None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as compositor:
        compositor.bind(str(tmp_path / "wl"))
        compositor.listen(1)
        assert no_display() is None  # the other kind is there
    monkeypatch.delenv("WAYLAND_DISPLAY")
    monkeypatch.setenv("DISPLAY", "elsewhere.invalid:0")
    assert no_display() is None


def test_only_the_displays_qt_is_told_to_try_are_checked(tmp_path, monkeypatch) -> None:
    # QT_QPA_PLATFORM=xcb with a dead DISPLAY and a live Wayland passed the check, and Qt, trying
    # xcb alone, aborted; a list ("wayland;xcb") skipped the check whatever the displays.
    from annotator.gui.display import no_display

    monkeypatch.delenv("WAYLAND_SOCKET", raising=False)
    monkeypatch.setenv("DISPLAY", f":{_no_display_here()}")
    monkeypatch.setenv("WAYLAND_DISPLAY", str(tmp_path / "wl"))
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as compositor:
        compositor.bind(str(tmp_path / "wl"))
        compositor.listen(1)
        monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
        assert no_display().startswith("no display to open the window on: DISPLAY=:")
        monkeypatch.setenv("QT_QPA_PLATFORM", "wayland")
        assert no_display() is None
        monkeypatch.setenv("QT_QPA_PLATFORM", "wayland;xcb")
        assert no_display() is None
    monkeypatch.setenv("QT_QPA_PLATFORM", "wayland;xcb")  # both dead now
    assert "DISPLAY=:" in no_display() and "WAYLAND_DISPLAY=" in no_display()
    monkeypatch.delenv("DISPLAY")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert no_display() == ("no display to open the window on (DISPLAY is not set, and QT_QPA_PLATFORM=xcb "
                            "tries no other): run it in a desktop session, or under a virtual display (xvfb-run)")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert no_display() is None
