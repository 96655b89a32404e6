"""A project on a network file system or in a sync service's folder is recognised (core/location.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.location import risky_location

MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
server:/export /mnt/lab nfs4 rw,relatime 0 0
//nas/share /mnt/nas\\040drive cifs rw 0 0
user@host:/data /home/me/remote fuse.sshfs rw 0 0
tmpfs /mnt/lab/local tmpfs rw 0 0
"""


@pytest.fixture
def mounts(tmp_path: Path) -> Path:
    path = tmp_path / "mounts"
    path.write_text(MOUNTS, encoding="utf-8")
    return path


@pytest.mark.parametrize(("project", "says"), [
    ("/mnt/lab/p.db", "network file system (nfs4)"),
    ("/mnt/lab/deep/er/p.db", "network file system (nfs4)"),
    ("/mnt/nas drive/p.db", "network file system (cifs)"),
    ("/home/me/remote/p.db", "network file system (fuse.sshfs)"),
    ("/home/me/Dropbox/coding/p.db", "is in a folder that Dropbox syncs"),
    ("/home/me/Dropbox (Lab)/p.db", "is in a folder that Dropbox syncs"),
    ("/Users/me/OneDrive - University/p.db", "is in a folder that OneDrive syncs"),
    ("/Users/me/Library/CloudStorage/GoogleDrive-me@lab.org/My Drive/p.db", "is in a folder that Google Drive syncs"),
    ("/Users/me/Library/Mobile Documents/com~apple~CloudDocs/p.db", "is in a folder that iCloud syncs"),
    ("C:/Users/me/Google Drive/p.db", "is in a folder that Google Drive syncs"),
])
def test_a_risky_place_is_named_with_what_to_do(project: str, says: str, mounts: Path) -> None:
    line = risky_location(Path(project), mounts)
    assert line is not None and says in line and "annotator merge" in line and "\n" not in line
    assert line.startswith(project)


@pytest.mark.parametrize("project", [
    "/home/me/projects/p.db",
    "/mnt/lab/local/p.db",  # a local mount inside the network one
    "/mnt/labs/p.db",  # a name that only starts like a network mount point
    "/home/me/dropbox-notes.db",  # the file's own name is no folder
    "/home/me/Dropboxes/p.db",
])
def test_a_local_folder_is_not_warned_about(project: str, mounts: Path) -> None:
    assert risky_location(Path(project), mounts) is None


def test_no_mounts_file_means_only_folder_names_are_looked_at(tmp_path: Path) -> None:
    assert risky_location(Path("/mnt/lab/p.db"), tmp_path / "missing") is None
    assert "Dropbox" in (risky_location(Path("/x/Dropbox/p.db"), tmp_path / "missing") or "")
