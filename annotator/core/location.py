"""Where a project lives, and whether SQLite is safe there.

A project is one SQLite file in WAL mode, which needs the locks and shared memory of a
local disk: over a network file system (NFS, SMB, sshfs, ...) SQLite's own documentation
says WAL does not work and locks may silently fail. A folder a sync service watches
(Dropbox, OneDrive, Google Drive, iCloud) is local, but the service copies the file while
it is written -- without its -wal -- and turns two computers' changes into a "conflicted
copy". Neither is refused (the file may be fine to read), but the window and every command
say so in one line, with what to do: code on a local copy and merge it back.

The file system comes from /proc/mounts (Linux); the sync services are recognised by the
folder names they create on every platform.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

# File system types a network mount reports in /proc/mounts (and FUSE mounts of remote storage).
NETWORK_FILE_SYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "coda", "9p", "ceph", "glusterfs", "lustre",
    "gpfs", "beegfs", "ocfs2", "gfs2", "davfs", "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse",
    "fuse.davfs2", "fuse.google-drive-ocamlfuse", "fuse.onedriver", "fuse.glusterfs", "fuse.cephfs",
})

# A folder name (compared case-insensitively) that a sync service creates, and the service:
# the name itself, or its start (Dropbox (Personal), OneDrive - Contoso, GoogleDrive-x@y).
SYNC_FOLDERS = (
    ("dropbox", "Dropbox"),
    ("onedrive", "OneDrive"),
    ("google drive", "Google Drive"),
    ("googledrive", "Google Drive"),
    ("my drive", "Google Drive"),
    ("icloud drive", "iCloud"),
    ("icloud~", "iCloud"),
    ("mobile documents", "iCloud"),
    ("com~apple~clouddocs", "iCloud"),
)


def _unescape(field: str) -> str:
    """/proc/mounts writes a space, tab, newline or backslash in a path as an octal escape."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def file_system(path: Path, mounts: Path = Path("/proc/mounts")) -> str | None:
    """The type of the file system ``path`` is on (the longest mount point above it), if known."""
    try:
        lines = mounts.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    target = str(path)
    best: tuple[int, str] | None = None
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape(fields[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) > best[0]):
            best = (len(point), fields[2])
    return best[1] if best else None


def sync_service(path: Path) -> str | None:
    """The sync service whose folder the file ``path`` is in, by the folder's name."""
    for part in path.parts[:-1]:
        name = part.casefold()
        for prefix, service in SYNC_FOLDERS:
            if name == prefix or name.startswith((prefix + " ", prefix + "-", prefix + "(")) or (
                    prefix.endswith("~") and name.startswith(prefix)):
                return service
    return None


def risky_location(path: Path, mounts: Path = Path("/proc/mounts")) -> str | None:
    """One line saying why ``path`` is a risky place for a project and what to do, or None."""
    where = Path(os.path.abspath(path))
    with contextlib.suppress(OSError):  # a loop of links: the path as written
        where = where.resolve()
    fs = file_system(where if where.exists() else where.parent, mounts)
    if fs in NETWORK_FILE_SYSTEMS:
        return (f"{path}: is on a network file system ({fs}), where SQLite's locks are unreliable and WAL mode "
                "unsafe: copy it to a local disk, code there, and bring the work back with 'annotator merge'")
    service = sync_service(where)
    if service is not None:
        return (f"{path}: is in a folder that {service} syncs, which copies the file while it is written and makes "
                f"conflicted copies: code on a copy outside {service}, and bring the work back with 'annotator merge'")
    return None
