"""What the suggestion model sees of an item: TF-IDF of its question and of its answer, and who spoke.

Words are the features of text written with spaces between them; Chinese is not, so a
run of CJK characters gives its characters and their overlapping pairs instead (character
uni- and bigrams: the usual tokenizer-free features of Chinese text retrieval). English
text gets no character n-grams: on 100,000 pairs they multiply the features five-fold and
the training time past its budget for little gain on words the vocabulary already holds.
The question and the answer are two blocks with vocabularies of their own (a word asked
about is not a word said in reply); the normalised outlet and spokesperson are one-hot
features beside them.

A ``FeatureSpace`` is rebuilt from its vocabularies and idf weights (``to_parts``/
``from_parts``), never from a pickled vectorizer: the analyser is this module's code, the
weighting scikit-learn's ``TfidfTransformer`` given the kept idf.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

from annotator.core.records import ModelText

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORDS = re.compile(r"\b\w\w+\b")  # scikit-learn's default words: two or more word characters
_WORDS_AND_CJK = re.compile(rf"[{_CJK}]+|[^\W{_CJK}]{{2,}}")  # the same, CJK runs apart
_HAS_CJK = re.compile(f"[{_CJK}]")
_FIRST_CJK = "\u3400"

# Vocabulary limits: a word must occur in two items, and each block keeps its most frequent
# words -- what bounds the model's size (coefficients are options x features).
MIN_DF = 2
MAX_WORDS = {"question": 30_000, "answer": 50_000}
NAME_WEIGHT = 0.5  # an outlet or spokesperson feature beside a unit-length TF-IDF block
BLOCKS = ("question", "answer")
SETTINGS = {"analyser": "words+cjk-char-1-2", "min_df": MIN_DF, "max_words": MAX_WORDS,
            "sublinear_tf": True, "name_weight": NAME_WEIGHT}


def analyse(text: str) -> list[str]:
    """The terms of a text: its lower-cased words of two or more word characters (as
    scikit-learn's default), and for each run of CJK characters its characters and
    overlapping character pairs."""
    if not _HAS_CJK.search(text):
        return _WORDS.findall(text.lower())  # the common case, one regex pass
    out: list[str] = []
    for t in _WORDS_AND_CJK.findall(text.lower()):
        if t[0] >= _FIRST_CJK and _HAS_CJK.match(t):
            out.extend(t)
            out.extend(map(str.__add__, t, t[1:]))
        else:
            out.append(t)
    return out


def _tfidf() -> TfidfTransformer:
    return TfidfTransformer(sublinear_tf=True)


class Block:
    """One text block's vocabulary (term -> column) and scikit-learn's TF-IDF weighting of it.

    The counting is done here rather than by ``TfidfVectorizer``, whose Python loop does
    several dictionary operations per term: here every term of every text is mapped to its
    column in one pass and scipy sums the counts. The weighting is scikit-learn's."""

    def __init__(self, vocabulary: dict[str, int], tfidf: TfidfTransformer | None) -> None:
        self.vocabulary = vocabulary
        self.tfidf = tfidf

    @classmethod
    def fit(cls, texts: Sequence[str], max_words: int) -> tuple[Block, sp.csr_matrix]:
        terms: list[str] = []
        lengths = np.zeros(len(texts), dtype=np.int64)
        for r, text in enumerate(texts):
            found = analyse(text)
            terms.extend(found)
            lengths[r] = len(found)
        seen = {t: i for i, t in enumerate(dict.fromkeys(terms))}  # first-seen order: reproducible
        counts = _csr(np.fromiter(map(seen.__getitem__, terms), dtype=np.int32, count=len(terms)), lengths, len(seen))
        df = np.bincount(counts.indices, minlength=len(seen))
        order = np.argsort(-df, kind="stable")
        keep = order[df[order] >= MIN_DF][:max_words]
        if not len(keep):
            return cls({}, None), sp.csr_matrix((len(texts), 0), dtype=np.float32)
        words = list(seen)
        vocabulary = {words[j]: c for c, j in enumerate(keep.tolist())}
        tfidf = _tfidf()
        return cls(vocabulary, tfidf), tfidf.fit_transform(counts[:, keep]).astype(np.float32)

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        if self.tfidf is None:
            return sp.csr_matrix((len(texts), 0), dtype=np.float32)
        get = self.vocabulary.get
        ids: list[int] = []
        lengths = np.zeros(len(texts), dtype=np.int64)
        for r, text in enumerate(texts):
            found = [i for i in map(get, analyse(text)) if i is not None]
            ids.extend(found)
            lengths[r] = len(found)
        counts = _csr(np.array(ids, dtype=np.int32), lengths, len(self.vocabulary))
        return self.tfidf.transform(counts).astype(np.float32)


    def one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """``transform([text])``'s one row as (columns, values), without building a matrix: the
        next item's suggestions are a few hundred multiplications, not scikit-learn's checks."""
        if self.tfidf is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        get = self.vocabulary.get
        counts = Counter(i for i in map(get, analyse(text)) if i is not None)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        vals = (np.log(tf) + 1.0) * self.tfidf.idf_[cols]
        return cols, vals / np.sqrt(vals @ vals)


def _csr(ids: np.ndarray, lengths: np.ndarray, width: int) -> sp.csr_matrix:
    """Rows of term counts from each row's column ids, in a row after row."""
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    counts = sp.csr_matrix((np.ones(len(ids), dtype=np.float32), ids, indptr), shape=(len(lengths), width))
    counts.sum_duplicates()
    return counts


def _names(item: ModelText) -> list[str]:
    return [f"outlet:{item.outlet}"] * bool(item.outlet) + [f"spokesperson:{item.spokesperson}"] * bool(item.spokesperson)


@dataclass
class FeatureSpace:
    """The fitted vectorizers of the two text blocks and the vocabulary of names."""

    blocks: dict[str, Block]
    names: dict[str, int]

    @classmethod
    def fit(cls, items: Sequence[ModelText]) -> tuple[FeatureSpace, sp.csr_matrix]:
        """Learn the vocabularies from ``items`` and return the space with their feature matrix."""
        blocks: dict[str, Block] = {}
        matrices = []
        for block in BLOCKS:
            blocks[block], matrix = Block.fit([getattr(i, block) or "" for i in items], MAX_WORDS[block])
            matrices.append(matrix)
        names: dict[str, int] = {}
        for item in items:
            for n in _names(item):
                names.setdefault(n, len(names))
        space = cls(blocks, dict(sorted(names.items(), key=lambda kv: kv[1])))
        matrices.append(space._names_matrix(items))
        return space, sp.hstack(matrices, format="csr", dtype=np.float32)

    @property
    def width(self) -> int:
        return sum(len(b.vocabulary) for b in self.blocks.values()) + len(self.names)

    def transform(self, items: Sequence[ModelText]) -> sp.csr_matrix:
        """The feature matrix of ``items`` (words outside the vocabulary count for nothing)."""
        matrices = [self.blocks[b].transform([getattr(i, b) or "" for i in items]) for b in BLOCKS]
        matrices.append(self._names_matrix(items))
        return sp.hstack(matrices, format="csr", dtype=np.float32)

    def one(self, item: ModelText) -> tuple[np.ndarray, np.ndarray]:
        """One item's features as (columns, values): what ``transform([item])`` holds, faster."""
        cols, vals, offset = [], [], 0
        for b in BLOCKS:
            c, v = self.blocks[b].one(getattr(item, b) or "")
            cols.append(c + offset)
            vals.append(v)
            offset += len(self.blocks[b].vocabulary)
        named = [self.names[n] + offset for n in _names(item) if n in self.names]
        cols.append(np.array(named, dtype=np.int64))
        vals.append(np.full(len(named), NAME_WEIGHT))
        return np.concatenate(cols), np.concatenate(vals)

    def _names_matrix(self, items: Sequence[ModelText]) -> sp.csr_matrix:
        rows, cols = [], []
        for r, item in enumerate(items):
            for n in _names(item):
                c = self.names.get(n)
                if c is not None:
                    rows.append(r)
                    cols.append(c)
        data = np.full(len(rows), NAME_WEIGHT, dtype=np.float32)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(items), len(self.names)), dtype=np.float32)

    # -- kept as plain parts: JSON vocabularies and float arrays -----------------------------

    def to_parts(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """(JSON-able meta with the vocabularies in column order, {name: array}) -- all it takes
        to rebuild the space."""
        vocab = {b: _in_column_order(v.vocabulary) for b, v in self.blocks.items()}
        meta = {"settings": SETTINGS, "vocabulary": vocab, "names": list(self.names)}
        arrays = {f"idf_{b}": np.asarray(v.tfidf.idf_, dtype=np.float32) for b, v in self.blocks.items() if v.tfidf}
        return meta, arrays

    @classmethod
    def from_parts(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> FeatureSpace:
        """Rebuild a space from ``to_parts``' output; ValueError names what does not fit."""
        if meta.get("settings") != SETTINGS:
            raise ValueError("made with other feature settings (by another version of annotator)")
        blocks: dict[str, Block] = {}
        for b in BLOCKS:
            words = meta["vocabulary"][b]
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise ValueError(f"the {b} vocabulary is not a list of words")
            if not words:
                blocks[b] = Block({}, None)
                continue
            idf = arrays.get(f"idf_{b}")
            if idf is None or idf.shape != (len(words),):
                raise ValueError(f"the {b} weights do not match its vocabulary of {len(words)} words")
            tfidf = _tfidf()
            tfidf.idf_ = idf
            blocks[b] = Block({w: i for i, w in enumerate(words)}, tfidf)
        names = meta["names"]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError("the names are not a list of text")
        return cls(blocks, {n: i for i, n in enumerate(names)})


def _in_column_order(vocabulary: dict[str, int]) -> list[str]:
    words = [""] * len(vocabulary)
    for w, i in vocabulary.items():
        words[i] = w
    return words


def space_id(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> str:
    """A feature space's identity: the hash of its vocabularies and weights."""
    h = hashlib.sha256(json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    for name in sorted(arrays):
        h.update(name.encode())
        h.update(np.ascontiguousarray(arrays[name]).tobytes())
    return h.hexdigest()[:16]
