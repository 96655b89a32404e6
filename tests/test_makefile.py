"""`make run` and `make test` set the checkout up themselves: what they do with a .venv found there."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _script(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return path


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_a_venv_left_without_pip_is_made_again(tmp_path: Path) -> None:
    # A failed `python3 -m venv` (Debian without python3-venv) leaves .venv/bin/python and no pip;
    # every make after that stopped at "No module named pip", the broken .venv never replaced.
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    _script(tmp_path / ".venv" / "bin" / "python", 'echo "No module named pip" >&2; exit 1')
    made = tmp_path / "venv-made"
    # stands in for python3: records how it was asked to make the venv, and makes one whose
    # python answers every call (no package is installed by this test)
    python3 = _script(tmp_path / "python3", f'echo "$@" > {made}\n'
                                            f'printf "#!/bin/sh\\nexit 0\\n" > .venv/bin/python; chmod +x .venv/bin/python')
    result = subprocess.run(["make", "--no-print-directory", ".venv/.installed", f"PYTHON={python3}"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert made.read_text().split() == ["-m", "venv", "--clear", ".venv"]
    assert (tmp_path / ".venv" / ".installed").exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_a_working_venv_is_kept(tmp_path: Path) -> None:
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    _script(tmp_path / ".venv" / "bin" / "python", "exit 0")
    python3 = _script(tmp_path / "python3", f"touch {tmp_path / 'venv-made'}")
    result = subprocess.run(["make", "--no-print-directory", ".venv/.installed", f"PYTHON={python3}"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "venv-made").exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_as_a_user_reads_the_package_lists_before_installing(tmp_path: Path) -> None:
    # As root it ran apt-get update first; with sudo it went straight to install, which on lists
    # out of date fails with 404s for the very libraries the window needs.
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    _script(tmp_path / ".venv" / "bin" / "annotator", "exit 0")
    (tmp_path / ".venv" / ".installed").touch()  # set up already: only the run itself is made
    log = tmp_path / "apt.log"
    fake = tmp_path / "fake-bin"
    _script(fake / "dpkg", "exit 1")  # nothing installed
    _script(fake / "apt-get", f'echo "apt-get $*" >> {log}')
    _script(fake / "sudo", f'echo "sudo" >> {log}; exec "$@"')
    _script(fake / "id", "echo 1000")
    env = {"PATH": f"{fake}:/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(["make", "--no-print-directory", "run"], cwd=tmp_path, capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    calls = [line.split()[:2] for line in log.read_text().splitlines()]
    assert calls[:4] == [["sudo"], ["apt-get", "update"], ["sudo"], ["apt-get", "install"]]
