"""--ls-users: the one rule for naming Label Studio users, in the export and in merge."""

from __future__ import annotations

import shlex

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.labelstudio_users import (
    check_covers,
    coder_for,
    completed_by,
    curl_commands,
    parse_users,
    reverse,
)


def test_users_are_e_mails_or_ids() -> None:
    users = parse_users(" alice=alice@lab.org, bob=7 ,")
    assert users == {"alice": "alice@lab.org", "bob": 7}
    assert completed_by(users["alice"]) == {"email": "alice@lab.org"} and completed_by(users["bob"]) == 7


@pytest.mark.parametrize("text, message", [
    ("alice", "expected coder=e-mail pairs"),
    ("alice=", "expected coder=e-mail pairs"),
    ("alice=somebody", "'somebody' (for alice) is neither an e-mail nor a Label Studio user id"),
    ("alice=a@lab.org,alice=b@lab.org", "coder 'alice' is given twice"),
    ("alice=a@lab.org,bob=A@lab.org", "A@lab.org is given to both 'alice' and 'bob'"),
    ("@x=a@lab.org", "coder name '@x' is not allowed"),
    (",", "--ls-users is empty"),
])
def test_bad_users_are_one_clear_error(text, message) -> None:
    with pytest.raises(AnnotatorError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_users(text)


def test_every_coder_needs_a_user() -> None:
    check_covers({"alice": "a@lab.org", "bob": 3}, ["alice", "bob"])
    with pytest.raises(AnnotatorError, match="no Label Studio user for bob, carol"):
        check_covers({"alice": "a@lab.org"}, ["carol", "alice", "bob"])


def test_exported_owners_map_back_to_coders() -> None:
    users = reverse(parse_users("alice=Alice@Lab.org,bob=7"))
    assert coder_for({"id": 2, "email": "alice@lab.org"}, users) == "alice"   # e-mails ignore case
    assert coder_for(7, users) == "bob"                                        # a mapped id
    assert coder_for({"id": 7, "email": "robert@lab.org"}, users) == "bob"     # mapped by id
    assert coder_for({"id": 5, "email": "carol@lab.org"}, users) == "carol"    # else the local part
    assert coder_for(5, users) is None and coder_for(True, users) is None and coder_for("x", users) is None


def test_curl_commands_create_each_e_mail_user() -> None:
    lines = curl_commands("http://127.0.0.1:8080/", parse_users("alice=alice@lab.org,bob=7"))
    assert len(lines) == 1
    words = shlex.split(lines[0])
    assert words[:4] == ["curl", "-sS", "-X", "POST"] and words[4] == "http://127.0.0.1:8080/api/users/"
    assert '{"email": "alice@lab.org", "username": "alice", "first_name": "alice"}' in words
    with pytest.raises(AnnotatorError, match="only user ids"):
        curl_commands("http://x", parse_users("bob=7"))
