"""Whether a window can open here, known before Qt tries: Qt itself aborts the process, with a
core dump and a page of plugin messages blaming a missing libxcb-cursor0, when there is no display
server to talk to. Plain Python: sockets and the environment, no Qt."""

from __future__ import annotations

import os
import re
import socket
import sys


def no_display() -> str | None:
    """Why no window can open here, where that is known before Qt tries: on Linux, X11 and Wayland
    both unset (a shell over ssh, a server), or each one set names a display on this machine that
    nothing answers on (a DISPLAY left over from a closed VNC or Xvfb). Qt itself would abort the
    process with a core dump and a page of plugin messages blaming a missing libxcb-cursor0."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    # Qt tries the platforms QT_QPA_PLATFORM lists ("wayland;xcb"), each with its options after a
    # colon, and by default both kinds of display: only those it would try are checked
    tried = [p.split(":")[0].strip() for p in platform.split(";") if p.strip()] or ["xcb", "wayland"]
    if not sys.platform.startswith("linux") or any(p not in ("xcb", "wayland") for p in tried):
        return None  # offscreen, vnc, eglfs...: a platform that needs no display server
    kinds = [(name, os.environ.get(name, ""), gone) for name, kind, gone in
             (("DISPLAY", "xcb", _x11_gone), ("WAYLAND_DISPLAY", "wayland", _wayland_gone)) if kind in tried]
    if not any(value for _name, value, _gone in kinds):
        unset = (f"neither {kinds[0][0]} nor {kinds[1][0]} is set" if len(kinds) == 2
                 else f"{kinds[0][0]} is not set, and QT_QPA_PLATFORM={platform} tries no other")
        return f"no display to open the window on ({unset}): {_INSTEAD}"
    dead = []
    for name, value, gone in kinds:
        if value:
            why = gone(value)
            if why is None:
                return None  # this one may well work: Qt tries it
            dead.append(f"{name}={value} {why}")
    return f"no display to open the window on: {' and '.join(dead)}: {_INSTEAD}"


_INSTEAD = "run it in a desktop session, or under a virtual display (xvfb-run)"


# A display on this machine (":0", "unix:0", screen ".N" optional); "host:N" is left to Qt.
_LOCAL_X11 = re.compile(r"(unix)?:(\d+)(\.\d+)?")


def _x11_gone(display: str) -> str | None:
    """Why nothing answers on local X display ``display``, tried where libxcb tries it (the
    abstract socket, the socket file, then for ":N" TCP port 6000+N on this machine: VcXsrv
    under WSL listens there alone); None when something answers, or it is not local."""
    local = _LOCAL_X11.fullmatch(display)
    if local is None:
        return None
    n = int(local.group(2))
    path = f"/tmp/.X11-unix/X{n}"
    if _answers(socket.AF_UNIX, "\0" + path) or _answers(socket.AF_UNIX, path):
        return None
    if local.group(1) is None and 6000 + n < 65536:
        try:
            tcp = socket.getaddrinfo("localhost", 6000 + n, type=socket.SOCK_STREAM)
        except OSError:
            tcp = []
        if any(_answers(family, address[:2]) for family, _t, _p, _c, address in tcp):
            return None
    return f"is a display on this machine that no X server answers on (nothing listening at {path})"


def _wayland_gone(display: str) -> str | None:
    """Why nothing answers on Wayland display ``display`` (a socket's name in $XDG_RUNTIME_DIR,
    or its path), None when something does or a socket was handed over (WAYLAND_SOCKET)."""
    if os.environ.get("WAYLAND_SOCKET"):
        return None
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if not os.path.isabs(display) and not runtime:
        return "is a socket's name in XDG_RUNTIME_DIR, which is not set"
    path = os.path.join(runtime, display)
    return None if _answers(socket.AF_UNIX, path) else f"is a display that no Wayland compositor answers on (nothing listening at {path})"


def _answers(family: int, address: str | tuple[str, int]) -> bool:
    """Whether a connection to ``address`` is taken. A timeout or no permission counts as yes,
    left to Qt to judge; every other failure (no such socket, refused, no such address) as no."""
    try:
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.settimeout(1.0)
            s.connect(address)
    except (TimeoutError, PermissionError):
        return True
    except OSError:
        return False
    return True
