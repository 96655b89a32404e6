"""A model as it is kept in the project file, and the checks before one is used.

A project file travels to coders' laptops, so opening one must never run code: nothing
here unpickles. An array is kept as a dtype string, a JSON shape and raw bytes, and is
rebuilt with ``np.frombuffer`` only for the few plain dtypes of ``DTYPES`` (an object
array, which is how a pickle would get in, is refused with the others); settings and
vocabularies are JSON. Each scheme's model records which codebook definition of the
scheme (``records.scheme_fingerprint``) and which labels (``records.fingerprint``)
trained it: a model whose scheme has changed since is refused in one line, and a
damaged one is named as such.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from annotator.core.codebook import Codebook
from annotator.core.errors import AnnotatorError
from annotator.core.model.features import FeatureSpace
from annotator.core.model.heads import Head
from annotator.core.model.records import scheme_fingerprint
from annotator.core.store import Store
from annotator.core.store.models import ArrayRow

FORMAT = 1  # of the kept model; a model of another format is refused (retrain)
DTYPES = {"<f4": np.float32, "<f8": np.float64}
_HEAD_ARRAYS = ("coef", "intercept", "a", "b")


class ModelRefused(AnnotatorError):
    """A stored model that cannot be used: damaged, of another format, or for a scheme the
    codebook has changed since. Retraining replaces it."""


def pack(array: np.ndarray, name: str) -> ArrayRow:
    """An array as a kept row: little-endian, one of ``DTYPES``."""
    dtype = np.dtype(array.dtype).newbyteorder("<")
    if dtype.str not in DTYPES:
        raise ValueError(f"array {name!r}: dtype {dtype.str} is not kept")
    data = np.ascontiguousarray(array, dtype=dtype)
    return ArrayRow(name, dtype.str, json.dumps(list(data.shape)), data.tobytes())


def unpack(row: ArrayRow, where: str) -> np.ndarray:
    """A kept row as an array, or ``ModelRefused`` naming what is wrong: no other dtype than
    ``DTYPES`` (never an object array), a shape of whole numbers, exactly the bytes it needs,
    and finite numbers only."""
    dtype = DTYPES.get(row.dtype)
    if dtype is None:
        raise ModelRefused(f"{where}: array '{row.name}' has dtype {row.dtype!r}, which a model never has; "
                           "it is not read (retrain to replace it)")
    try:
        shape = json.loads(row.shape)
    except (TypeError, ValueError):
        shape = None
    if not isinstance(shape, list) or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape):
        raise ModelRefused(f"{where}: array '{row.name}' has no valid shape ({str(row.shape)[:40]!r}); retrain to replace it")
    if not isinstance(row.data, bytes):
        raise ModelRefused(f"{where}: array '{row.name}' holds no bytes; retrain to replace it")
    need = int(np.prod(shape, dtype=np.int64)) * np.dtype(dtype).itemsize
    if len(row.data) != need:
        raise ModelRefused(f"{where}: array '{row.name}' is damaged ({len(row.data)} bytes for shape {shape}, "
                           f"{need} expected); retrain to replace it")
    array = np.frombuffer(row.data, dtype=np.dtype(row.dtype)).reshape(shape)
    # Training never keeps a NaN or an infinity: one read back is damage, and used it gave a
    # probability of NaN, which the history's JSON cannot hold (the coder's work then merged nowhere).
    if not np.isfinite(array).all():
        raise ModelRefused(f"{where}: array '{row.name}' is damaged (it holds a value that is not a finite number); "
                           "retrain to replace it")
    return array


def _json(text: str, where: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        value = None
    if not isinstance(value, dict):
        raise ModelRefused(f"{where}: its description is damaged (not a JSON object); retrain to replace it")
    return value


@dataclass
class StoredModel:
    """One scheme's model read back: its head, the id of its feature space, and its meta
    (``labels``, ``sources``, ``seed``, ``examples``, ``codebook_version``, ``version``...)."""

    scheme: str
    features: str
    head: Head
    meta: dict[str, Any]
    trained_at: str

    @property
    def version(self) -> str:
        """The model's version as history records it: the fingerprint of its labels and features."""
        return f"{self.meta['labels']}-{self.features[:8]}"


def save(store: Store, space: FeatureSpace, heads: dict[str, tuple[Head, dict[str, Any]]]) -> str:
    """Keep a feature space and the heads trained over it ({scheme: (head, meta)}), replacing
    those schemes' earlier models in one transaction. Returns the feature space's id."""
    from annotator.core.model.features import space_id

    meta, arrays = space.to_parts()
    fid = space_id(meta, arrays)
    rows = {}
    for scheme, (head, head_meta) in heads.items():
        kept = {**head_meta, "format": FORMAT, "multi": head.multi, "options": head.options}
        rows[scheme] = (json.dumps(kept, ensure_ascii=False, sort_keys=True),
                        [pack(getattr(head, n), n) for n in _HEAD_ARRAYS])
    store.models.write(fid, json.dumps({**meta, "format": FORMAT}, ensure_ascii=False),
                       [pack(a, n) for n, a in sorted(arrays.items())], rows)
    return fid


def load_heads(store: Store) -> dict[str, StoredModel | ModelRefused]:
    """Every scheme's stored model, or why it cannot be used ({scheme: StoredModel or ModelRefused})."""
    codebook = store.codebook()
    out: dict[str, StoredModel | ModelRefused] = {}
    for row in store.models.rows():
        try:
            out[row.scheme] = _head(store, row, codebook)
        except ModelRefused as e:
            out[row.scheme] = e
    return out


def _head(store: Store, row: Any, codebook: Codebook) -> StoredModel:
    where = f"{store.path}: the model of scheme '{row.scheme}'"
    meta = _json(row.meta, where)
    if meta.get("format") != FORMAT:
        raise ModelRefused(f"{where} was made by another version of annotator (format {meta.get('format')!r}); "
                           f"retrain it: annotator model {store.path} train --scheme {row.scheme}")
    scheme = codebook.scheme(row.scheme)
    if scheme is None:
        raise ModelRefused(f"{where}: the codebook has no such scheme any more; the model is not used")
    if meta.get("codebook") != scheme_fingerprint(scheme):
        retrain = f"retrain it: annotator model {store.path} train --scheme {row.scheme}"
        if meta.get("codebook_version") == codebook.version:  # "version 1 ... (now version 1)" said nothing
            raise ModelRefused(
                f"{where} was trained before the scheme changed (its kind, options, their labels or descriptions, "
                f"or the item kinds it applies to; the codebook's version is {codebook.version} still); {retrain}")
        raise ModelRefused(
            f"{where} was trained on codebook version {meta.get('codebook_version')} and the scheme has changed "
            f"since (now version {codebook.version}); {retrain}")
    arrays = {a.name: unpack(a, where) for a in store.models.arrays(f"scheme:{row.scheme}")}
    missing = [n for n in _HEAD_ARRAYS if n not in arrays]
    options = meta.get("options")
    if missing or not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        raise ModelRefused(f"{where} is damaged ({'no ' + missing[0] if missing else 'no option list'}); retrain to replace it")
    unknown = [o for o in options if scheme.option(o) is None]
    if unknown:
        raise ModelRefused(f"{where} gives option {unknown[0]!r}, which the scheme lacks; retrain it")
    rows = 1 if not meta.get("multi") and len(options) == 2 else len(options)
    coef = arrays["coef"]
    if coef.ndim != 2 or coef.shape[0] != rows or any(arrays[n].shape != (rows,) for n in _HEAD_ARRAYS[1:]):
        raise ModelRefused(f"{where} is damaged (its arrays do not fit its {len(options)} options); retrain to replace it")
    head = Head(bool(meta.get("multi")), options, coef, arrays["intercept"], arrays["a"], arrays["b"])
    return StoredModel(row.scheme, row.features, head, meta, row.trained_at)


def load_space(store: Store, features_id: str) -> FeatureSpace:
    """The feature space ``features_id`` rebuilt from its JSON and arrays, or ``ModelRefused``."""
    where = f"{store.path}: the model's features ({features_id})"
    text = store.models.features_meta(features_id)
    if text is None:
        raise ModelRefused(f"{where} are missing; retrain: annotator model {store.path} train")
    meta = _json(text, where)
    if meta.get("format") != FORMAT:
        raise ModelRefused(f"{where} were made by another version of annotator; retrain: annotator model {store.path} train")
    arrays = {a.name: unpack(a, where) for a in store.models.arrays(f"features:{features_id}")}
    try:
        return FeatureSpace.from_parts(meta, arrays)
    except (KeyError, TypeError, ValueError) as e:
        raise ModelRefused(f"{where} are damaged ({e}); retrain: annotator model {store.path} train") from None
