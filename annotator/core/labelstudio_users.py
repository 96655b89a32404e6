"""Who is who in Label Studio: coder names <-> Label Studio users, and creating those users.

Label Studio owns each annotation by a user of its organisation. Its import
(``tasks/serializers.py``, ``_insert_valid_completed_by`` in Label Studio 1.23) accepts
``completed_by`` as ``{"email": ...}`` of a member, or as a member's numeric id; anything
else is refused with "not a valid annotator's email or ID" and nothing is imported. Its
export writes the numeric id, or ``{"id", "email", ...}`` when users are expanded.

``--ls-users alice=alice@lab.org,bob=7`` maps coders to either form, one rule for the export
(which writes it) and for merge (which reads it back); ``create_users`` makes the e-mail
users through Label Studio's API (``POST /api/users/``, which adds them to the caller's
organisation), and ``curl_commands`` prints the same requests for those who prefer to.
"""

from __future__ import annotations

import json
import shlex
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from typing import Any

from annotator.core.errors import AnnotatorError
from annotator.core.records import validate_coder
from annotator.core.validate import row_number

UserRef = str | int  # an e-mail, or a Label Studio user id


def parse_users(text: str) -> dict[str, UserRef]:
    """``alice=alice@lab.org,bob=7`` -> {"alice": "alice@lab.org", "bob": 7}; one clear error otherwise."""
    users: dict[str, UserRef] = {}
    seen: dict[UserRef, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        coder, eq, ref = part.partition("=")
        coder, ref = coder.strip(), ref.strip()
        if not eq or not coder or not ref:
            raise AnnotatorError(f"--ls-users {text!r}: expected coder=e-mail pairs, e.g. alice=alice@lab.org,bob=bob@lab.org")
        coder = validate_coder(coder)
        value: UserRef
        if (number := row_number(ref)) is not None:
            value = number
        elif "@" in ref and " " not in ref and not ref.startswith("@") and not ref.endswith("@"):
            value = ref
        else:
            raise AnnotatorError(f"--ls-users: {ref!r} (for {coder}) is neither an e-mail nor a Label Studio user id")
        if coder in users:
            raise AnnotatorError(f"--ls-users: coder {coder!r} is given twice")
        key = value.casefold() if isinstance(value, str) else value
        if key in seen:
            raise AnnotatorError(f"--ls-users: {ref} is given to both {seen[key]!r} and {coder!r}")
        seen[key] = coder
        users[coder] = value
    if not users:
        raise AnnotatorError("--ls-users is empty: give coder=e-mail pairs, e.g. alice=alice@lab.org")
    return users


def check_covers(users: dict[str, UserRef], coders: Iterable[str]) -> None:
    """Every coder the export writes must have a Label Studio user, or the import would refuse it."""
    missing = sorted(set(coders) - set(users))
    if missing:
        raise AnnotatorError(
            f"--ls-users names no Label Studio user for {', '.join(missing)} "
            f"(add {missing[0]}=E-MAIL; without --ls-users each coder's labels are written as predictions)"
        )


def completed_by(ref: UserRef) -> dict[str, str] | int:
    """What Label Studio's import takes as the owner of an annotation."""
    return ref if isinstance(ref, int) else {"email": ref}


def reverse(users: dict[str, UserRef]) -> dict[UserRef, str]:
    """{e-mail (case-folded) or id: coder}, for reading Label Studio's export back."""
    return {(ref.casefold() if isinstance(ref, str) else ref): coder for coder, ref in users.items()}


def coder_for(owner: Any, users: dict[UserRef, str]) -> str | None:
    """The coder behind an exported ``completed_by`` (an id, or an object with ``email``):
    the ``--ls-users`` mapping first, else the e-mail's local part (alice@lab.org -> alice).
    None when neither says (a bare id nobody mapped)."""
    if isinstance(owner, bool):
        return None
    if isinstance(owner, int):
        return users.get(owner)
    if isinstance(owner, dict):
        email = owner.get("email")
        if isinstance(email, str) and email:
            if email.casefold() in users:
                return users[email.casefold()]
            if isinstance(owner.get("id"), int) and owner["id"] in users:
                return users[owner["id"]]
            local = email.split("@", 1)[0]
            return local or None
        if isinstance(owner.get("id"), int):
            return users.get(owner["id"])
    return None


# -- creating the users through Label Studio's API ---------------------------------------------


def _emails(users: dict[str, UserRef]) -> dict[str, str]:
    emails = {c: r for c, r in users.items() if isinstance(r, str)}
    if not emails:
        raise AnnotatorError("--ls-users gives only user ids; users are created from e-mails (alice=alice@lab.org)")
    return emails


def _body(coder: str, email: str) -> dict[str, str]:
    return {"email": email, "username": coder, "first_name": coder}


def check_url(url: str) -> str:
    """``url`` without a trailing slash, once it is one Label Studio can be reached at (http or
    https, with a host); otherwise one line naming it, before any request is made (urllib would
    refuse it only on sending, with a ValueError)."""
    why = None
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 -- reading it checks it (a port beyond 65535, not a number)
    except ValueError as e:
        why = str(e)
    else:
        if parts.scheme.lower() not in ("http", "https"):
            why = "it must begin with http:// or https://"
        elif not parts.hostname:
            why = "it names no host"
        elif any(ch.isspace() or not ch.isprintable() for ch in url):
            why = "it holds a space or a control character"
    if why is not None:
        raise AnnotatorError(f"{url!r}: not a Label Studio URL: {why} (e.g. http://localhost:8080)")
    return url.rstrip("/")


def curl_commands(url: str, users: dict[str, UserRef]) -> list[str]:
    """The ``curl`` lines that create the users (the token read from $LABEL_STUDIO_API_KEY)."""
    base = check_url(url)
    return [
        f"curl -sS -X POST {shlex.quote(base + '/api/users/')} -H \"Authorization: Token $LABEL_STUDIO_API_KEY\" "
        f"-H 'Content-Type: application/json' -d {shlex.quote(json.dumps(_body(c, e)))}"
        for c, e in _emails(users).items()
    ]


class _Api:
    """Just enough of Label Studio's REST API: legacy tokens as ``Token``, personal access tokens
    (JWT refresh tokens) exchanged at ``/api/token/refresh`` for a ``Bearer`` access token."""

    def __init__(self, url: str, token: str, timeout: float = 30.0) -> None:
        self.base = check_url(url)
        self.timeout = timeout
        if token.count(".") == 2:
            access = self._call("POST", "/api/token/refresh", {"refresh": token}, auth=None)
            if not isinstance(access, dict) or not isinstance(access.get("access"), str):
                raise AnnotatorError(f"{self.base}: Label Studio did not exchange the personal access token")
            self.auth = f"Bearer {access['access']}"
        else:
            self.auth = f"Token {token}"

    def _call(self, method: str, path: str, body: Any = None, *, auth: str | None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if auth:
            req.add_header("Authorization", auth)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip().replace("\n", " ")[:300]
            raise AnnotatorError(f"{self.base}{path}: Label Studio answered HTTP {e.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise AnnotatorError(f"{self.base}: cannot reach Label Studio ({reason})") from None
        try:
            return json.loads(raw) if raw else None
        except json.JSONDecodeError:
            raise AnnotatorError(f"{self.base}{path}: Label Studio's answer is not JSON") from None

    def call(self, method: str, path: str, body: Any = None) -> Any:
        return self._call(method, path, body, auth=self.auth)


def create_users(url: str, token: str, users: dict[str, UserRef]) -> list[tuple[str, str, int, bool]]:
    """Create the e-mail users that the organisation lacks; (coder, e-mail, id, created) for each.
    Running it again creates nothing (users are matched by e-mail, case-insensitively)."""
    emails = _emails(users)
    api = _Api(url, token)
    listed = api.call("GET", "/api/users/")
    if isinstance(listed, dict):  # a paginated answer
        listed = listed.get("results", [])
    if not isinstance(listed, list):
        raise AnnotatorError(f"{api.base}/api/users/: Label Studio's answer is not a list of users")
    known = {str(u.get("email", "")).casefold(): u for u in listed if isinstance(u, dict)}
    out = []
    for coder, email in emails.items():
        user = known.get(email.casefold())
        created = user is None
        if user is None:
            user = api.call("POST", "/api/users/", _body(coder, email))
        if not isinstance(user, dict) or not isinstance(user.get("id"), int):
            raise AnnotatorError(f"{api.base}/api/users/: Label Studio did not return the user {email}")
        out.append((coder, email, user["id"], created))
    return out
