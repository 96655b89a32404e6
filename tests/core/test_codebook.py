"""Codebook validation: every error names the file, the scheme and the option."""

from __future__ import annotations

import json
import re

import pytest

from annotator.core.codebook import Codebook, default_codebook_path, load_codebook, parse_codebook
from annotator.core.errors import AnnotatorError

GOOD = """
name = "test"
version = 2
[[schemes]]
name = "tone"
kind = "single"
ordered = true
[[schemes.options]]
value = "firm"
key = "1"
[[schemes.options]]
value = "warm"
key = "2"
"""


def test_the_default_codebook_has_the_four_schemes() -> None:
    cb = load_codebook(default_codebook_path())
    kinds = {s.name: (s.kind, s.ordered) for s in cb.schemes}
    assert kinds == {
        "topics": ("multi", False),
        "tone": ("single", True),
        "question_stance": ("single", False),
        "rhetoric": ("multi", False),
    }
    topics = cb.scheme("topics")
    assert 15 <= len(topics.options) <= 20
    for value in ("taiwan", "hong_kong", "xinjiang", "tibet", "us_relations", "covid", "consular", "other"):
        assert value in topics.values
    assert set(cb.scheme("rhetoric").values) >= {"threat", "criticism", "demand", "urging", "request", "representations", "protest"}
    assert all(o.key and o.description for s in cb.schemes for o in s.options)


def test_a_good_codebook_parses() -> None:
    cb = parse_codebook(GOOD, "good.toml")
    assert cb.version == 2 and cb.scheme("tone").values == ("firm", "warm")


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t.replace('version = 2', 'version = [2'), "bad.toml: TOML syntax error"),
        (lambda t: t.replace('value = "warm"', 'value = "firm"'), "bad.toml: scheme 'tone', option 'firm': duplicate value"),
        (lambda t: t.replace('key = "2"', 'key = "1"'), "bad.toml: scheme 'tone', option 'warm': key '1' is already used by scheme 'tone', option 'firm'"),
        (lambda t: t.replace('key = "2"', 'key = "J"'), "option 'warm': key 'J' clashes with the window's own key for next item"),
        (lambda t: t.replace('key = "2"', 'key = "Ctrl+Z"'), "clashes with the window's own key for undo"),
        (lambda t: t.replace('key = "2"', 'key = "xy"'), "option 'warm': key 'xy' must be one character"),
        (lambda t: t.replace('kind = "single"', 'kind = "ranking"'), "bad.toml: scheme 'tone': unknown kind 'ranking'"),
        (lambda t: t.split("[[schemes.options]]")[0], "bad.toml: scheme 'tone': the scheme has no options"),
        (lambda t: t.replace('name = "tone"', 'name = "Tone!"'), "scheme 1: 'name' must be lower-case"),
        (lambda t: t.replace('name = "test"', ''), "bad.toml: the codebook needs a 'name'"),
        (lambda t: t + t[t.index("[[schemes]]"):], "bad.toml: scheme 'tone': duplicate scheme name"),
        (lambda t: t.replace('ordered = true', 'applies_to = ["qa", "speech"]'),
         "bad.toml: scheme 'tone': 'applies_to' names 'speech', which is no item kind (kinds: 'qa', 'statement', 'reported')"),
        (lambda t: t.replace('ordered = true', 'applies_to = "qa"'), "bad.toml: scheme 'tone': 'applies_to' must be a list of item kinds"),
        (lambda t: t.replace('ordered = true', 'applies_to = [1]'), "bad.toml: scheme 'tone': 'applies_to' must be a list of item kinds"),
        (lambda t: t.replace('ordered = true', 'applies_to = []'), "bad.toml: scheme 'tone': 'applies_to' is empty"),
        (lambda t: t.replace('ordered = true', 'required = "yes"'), "bad.toml: scheme 'tone': 'required' must be true or false"),
        (lambda t: t.split("[[schemes.options]]")[0] + "required = true\n",
         "bad.toml: scheme 'tone': 'required' on a scheme with no options (nothing could satisfy it)"),
        (lambda t: t.replace('ordered = true', 'require = true'), "bad.toml: scheme 'tone': 1 unknown field: require"),
    ],
)
def test_errors_name_file_scheme_and_option(edit, message) -> None:
    with pytest.raises(AnnotatorError) as err:
        parse_codebook(edit(GOOD), "bad.toml")
    assert message in str(err.value)


def test_applies_to_and_required_are_read_and_kept_with_the_project(store) -> None:
    cb = parse_codebook(GOOD.replace("ordered = true", 'ordered = true\nrequired = true\napplies_to = ["reported", "qa"]'))
    tone = cb.scheme("tone")
    assert tone.required and tone.applies_to == ("qa", "reported")  # the kinds in their one order
    assert tone.applies("qa") and not tone.applies("statement")
    assert parse_codebook(GOOD).scheme("tone").applies_to == ("qa", "statement", "reported")  # default: every kind
    store.set_codebook(cb)
    assert Codebook.from_json(store.meta("codebook")) == cb
    # a codebook kept by an older version has neither field: it reads as the defaults
    old = json.loads(cb.to_json())
    for scheme in old["schemes"]:
        del scheme["required"], scheme["applies_to"]
    again = Codebook.from_json(json.dumps(old)).scheme("tone")
    assert not again.required and again.applies_to == ("qa", "statement", "reported")


def test_the_bundled_codebook_says_what_a_coder_must_answer() -> None:
    cb = load_codebook(default_codebook_path())
    asked = {s.name: (s.required, s.applies_to) for s in cb.schemes}
    every = ("qa", "statement", "reported")
    assert asked == {"topics": (True, every), "tone": (True, every), "question_stance": (True, ("qa",)),
                     "rhetoric": (False, every)}
    assert [s.name for s in cb.unmet("statement", {"topics": ["other"]})] == ["tone"]
    assert [s.name for s in cb.unmet("qa", {"topics": [], "tone": "firm"})] == ["topics", "question_stance"]
    assert cb.unmet("reported", {"topics": ["covid"], "tone": "warm", "question_stance": "x"}) == []


def test_keys_clash_whatever_their_spelling() -> None:
    text = GOOD.replace('key = "1"', 'key = "shift+t"').replace('key = "2"', 'key = "Shift+T"')
    with pytest.raises(AnnotatorError, match="key 'Shift\\+T' is already used"):
        parse_codebook(text, "bad.toml")


def test_missing_and_unreadable_files(tmp_path) -> None:
    with pytest.raises(AnnotatorError, match="no such codebook file"):
        load_codebook(tmp_path / "none.toml")
    (tmp_path / "latin1.toml").write_bytes("name = 'caf\xe9'".encode("latin-1"))
    with pytest.raises(AnnotatorError, match="not UTF-8"):
        load_codebook(tmp_path / "latin1.toml")


def test_changing_the_codebook_refuses_to_orphan_labels_unless_forced(store) -> None:
    store.labels.set(2, "alice", "tone", "firm")
    store.labels.toggle(2, "alice", "topics", "taiwan")
    smaller = parse_codebook(GOOD.replace('value = "firm"', 'value = "stern"'), "new.toml")
    with pytest.raises(AnnotatorError, match=r"would orphan labels: tone=firm \(1\), topics=taiwan \(1\); use --force"):
        store.set_codebook(smaller)
    assert store.codebook().scheme("topics") is not None  # unchanged
    lost = store.set_codebook(smaller, force=True)
    assert lost == {("tone", "firm"): 1, ("topics", "taiwan"): 1}
    assert store.labels.annotation(2, "alice").labels == {"tone": "firm", "topics": ["taiwan"]}  # kept, not deleted


@pytest.mark.parametrize("key, purpose", [
    ("Ctrl+E", "show or hide the pairs before and after"),
    ("ctrl+l", "the item list"),
    ("Ctrl+Shift+F", "clear the filter"),
    ("F1", "the list of keys"),
    ("Ctrl+I", "import"),
    ("Ctrl+Shift+E", "export"),
    ("Ctrl+Q", "close the window"),
    ("Alt+F", "the File menu"),  # Alt and a menu's letter opens the menu: the option's key did nothing
    ("alt+c", "the Codebook menu"),
])
def test_every_key_the_window_binds_is_refused_by_the_loader_and_the_cli(key, purpose, project_path, tmp_path) -> None:
    from click.testing import CliRunner

    from annotator.cli import cli
    from annotator.core.window_keys import RESERVED_KEYS, WINDOW_KEYS, normalise_key

    # one list: every key of every window command is reserved, with that command's purpose
    for wk in WINDOW_KEYS:
        for k in wk.keys:
            try:
                canon = normalise_key(k)
            except ValueError:
                canon = k.lower()
            assert RESERVED_KEYS[canon] == wk.purpose
    text = GOOD.replace('key = "2"', f'key = "{key}"')
    message = f"bad.toml: scheme 'tone', option 'warm': key '{key}' clashes with the window's own key for {purpose}"
    with pytest.raises(AnnotatorError) as err:
        parse_codebook(text, "bad.toml")
    assert str(err.value) == message

    before = project_path.read_bytes()
    (tmp_path / "clash.toml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["codebook", str(project_path), "--set", str(tmp_path / "clash.toml")])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert f"key '{key}' clashes with the window's own key for {purpose}" in result.output
    assert project_path.read_bytes() == before


def test_changing_a_schemes_kind_is_refused_like_an_orphaning_change(store) -> None:
    store.labels.toggle(2, "alice", "rhetoric", "threat")
    store.labels.set(3, "alice", "tone", "firm")
    text = default_codebook_path().read_text(encoding="utf-8")
    rhetoric = text.index('name = "rhetoric"')
    single = text[:rhetoric] + text[rhetoric:].replace('kind = "multi"', 'kind = "single"', 1)
    changed = parse_codebook(single, "new.toml")
    with pytest.raises(AnnotatorError, match=r"would orphan labels: rhetoric=a list \(now single-choice\) \(1\)"):
        store.set_codebook(changed)
    assert store.codebook().scheme("rhetoric").kind == "multi"
    lost = store.set_codebook(changed, force=True)
    assert lost == {("rhetoric", "a list (now single-choice)"): 1}
    assert store.labels.annotation(2, "alice").labels["rhetoric"] == ["threat"]  # kept as it was


def test_a_scheme_no_longer_applying_to_labelled_items_is_refused_like_an_orphaning_change(store) -> None:
    # Narrowing 'tone' to question-answer pairs was accepted without a word, and the tone a coder
    # and the gold gave the statement (item 1) vanished from agreement, review and every export.
    store.labels.set(1, "alice", "tone", "firm")
    store.labels.set(2, "alice", "tone", "warm")
    store.gold.set(1, "tone", "firm", "lead")
    text = default_codebook_path().read_text(encoding="utf-8")
    narrowed = parse_codebook(text.replace('title = "Tone of the answer"', 'title = "Tone"\napplies_to = ["qa"]'), "new.toml")
    what = "any value on statement items (it would no longer apply to them)"
    with pytest.raises(AnnotatorError, match=rf"would orphan labels: tone={re.escape(what)} \(2\); use --force"):
        store.set_codebook(narrowed)
    assert store.codebook().scheme("tone").applies("statement")  # unchanged
    assert store.set_codebook(narrowed, force=True) == {("tone", what): 2}
    assert store.labels.annotation(1, "alice").labels == {"tone": "firm"}  # kept, not deleted
    assert store.set_codebook(narrowed) == {}  # read as not applicable already: nothing more to refuse


def test_dropping_a_scheme_whose_labels_say_none_of_these_is_refused(store) -> None:
    # An explicit empty set holds no option, so dropping 'rhetoric' orphaned nothing by the count
    # of values and went through silently, though the coder had said "none of these" there.
    store.labels.set(2, "alice", "rhetoric", [])
    cb = store.codebook()
    without = Codebook(cb.name, cb.version, tuple(s for s in cb.schemes if s.name != "rhetoric"))
    with pytest.raises(AnnotatorError, match=r"would orphan labels: rhetoric=\[\] \(none of these\) \(1\); use --force"):
        store.set_codebook(without)
    assert store.codebook().scheme("rhetoric") is not None
    assert store.set_codebook(without, force=True) == {("rhetoric", "[] (none of these)"): 1}
    assert store.labels.annotation(2, "alice").labels == {"rhetoric": []}


def _schemes():
    return parse_codebook(
        """name = "t"
[[schemes]]
name = "topics"
kind = "multi"
options = [{value = "a"}, {value = "b"}, {value = "c"}]
[[schemes]]
name = "tone"
kind = "single"
options = [{value = "x"}, {value = "y"}]
"""
    ).schemes


@pytest.mark.parametrize(
    "value, canonical",
    [(None, None), ([], []), (["c", "a"], ["a", "c"]), (["b", "b"], ["b"])],
)
def test_a_multi_choice_value_has_one_form_in_codebook_order(value, canonical) -> None:
    topics, _ = _schemes()
    assert topics.canonical(value) == canonical


@pytest.mark.parametrize("value", ["a", ["a", "zzz"], [1], {"a": 1}])
def test_a_multi_choice_value_of_the_wrong_shape_or_option_is_refused(value) -> None:
    topics, _ = _schemes()
    with pytest.raises(AnnotatorError, match="scheme 'topics'"):
        topics.canonical(value)


def test_forced_values_keep_unknown_options_after_the_known_ones() -> None:
    topics, tone = _schemes()
    assert topics.canonical(["zzz", "c", "yyy", "a"], allow_unknown=True) == ["a", "c", "yyy", "zzz"]
    assert topics.unknown(["zzz", "c"]) == ["zzz"]
    assert tone.canonical("nope", allow_unknown=True) == "nope"
    assert tone.unknown("nope") == ["nope"] and tone.unknown("x") == []


def test_toggling_the_last_option_off_is_no_label_again() -> None:
    topics, tone = _schemes()
    assert topics.toggle(None, "b") == ["b"]
    assert topics.toggle(["c"], "a") == ["a", "c"]
    assert topics.toggle(["a"], "a") is None
    assert tone.toggle(None, "x") == "x" and tone.toggle("x", "y") == "y" and tone.toggle("y", "y") is None


def test_values_compare_as_sets_and_none_is_not_the_empty_set() -> None:
    topics, tone = _schemes()
    assert topics.same(["a", "b"], ["b", "a"]) and not topics.same([], None) and topics.same(None, None)
    assert topics.as_set("a") == {"a"} and topics.as_set(None) == frozenset()
    assert tone.same("x", "x") and not tone.same("x", "y")


def test_an_error_quotes_a_short_prefix_of_a_huge_value() -> None:
    _, tone = _schemes()
    with pytest.raises(AnnotatorError) as e:
        tone.canonical(["x" * 10_000])
    assert len(str(e.value)) < 200


def test_an_option_reads_as_its_label_and_a_value_the_codebook_lacks_as_stored():
    from annotator.core.codebook import default_codebook_path, load_codebook

    topics = load_codebook(default_codebook_path()).scheme("topics")
    assert topics.label_of("hong_kong") == "Hong Kong / Macao"
    assert topics.label_of("gone_option") == "gone_option"  # kept with --force: shown as it is stored


def test_a_codebook_nested_too_deeply_is_one_line():
    # tomllib descends once per level: thousands of them was a traceback of thousands of lines
    with pytest.raises(AnnotatorError, match=r"^deep\.toml: nested too deeply to be a codebook$"):
        parse_codebook('name = "x"\na = ' + "[" * 5000 + "]" * 5000 + "\n", "deep.toml")


def _codebook_of(single: str, multi: list[str]) -> str:
    options = "".join(f'[[schemes.options]]\nvalue = "{v}"\n' for v in multi)
    return (f'name = "long"\n[[schemes]]\nname = "tone"\nkind = "single"\n[[schemes.options]]\nvalue = "{single}"\n'
            f'[[schemes]]\nname = "topics"\nkind = "multi"\n{options}')


def test_an_option_no_label_file_could_hold_is_refused_in_one_line() -> None:
    # The codebook took any length, then the project's own label file was refused by merge:
    # the limit is validate.fits_a_label's, a multi-choice scheme's options counted all ticked.
    at_the_limit = _codebook_of("s" * 10_000, [c * 997 for c in "abcdefghij"])  # 10 x (997 + 3)
    assert parse_codebook(at_the_limit, "long.toml").scheme("tone").values == ("s" * 10_000,)
    for text, message in (
        (_codebook_of("s" * 10_001, ["a"]), "long.toml: scheme 'tone', option 'sss"),
        (_codebook_of("s", [c * 998 for c in "abcdefghij"]), "long.toml: scheme 'topics': its options together are 10,010"),
    ):
        with pytest.raises(AnnotatorError) as err:
            parse_codebook(text, "long.toml")
        line = str(err.value)
        assert line.startswith(message) and "at most 10,000" in line and "\n" not in line and len(line) < 250, line
