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
import itertools
import json
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer

from annotator.core.records import ModelText

_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))  # the CJK ideographs
_CJK = "".join(f"{chr(low)}-{chr(high)}" for low, high in _CJK_RANGES)
_WORDS = re.compile(r"\b\w\w+\b")  # scikit-learn's default words: two or more word characters
_NON_CJK_WORDS = re.compile(rf"[^\W{_CJK}]{{2,}}")  # the same where CJK characters end a word too
_CJK_CHARS = re.compile(f"[{_CJK}]")
_CJK_PAIRS = re.compile(f"(?=([{_CJK}]{{2}}))")  # every overlapping pair, by a look-ahead
_HAS_CJK = re.compile(f"[{_CJK}]")

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
    scikit-learn's default; a CJK character ends a word), and for every run of CJK characters
    its characters and overlapping character pairs -- the characters first, then the pairs,
    then the words, each as the text has them: three passes of a regex in C, where a loop
    over the runs in Python took most of the vectorising time of Chinese text."""
    text = text.lower()
    if not _HAS_CJK.search(text):
        return _WORDS.findall(text)  # the common case, one regex pass
    return _CJK_CHARS.findall(text) + _CJK_PAIRS.findall(text) + _NON_CJK_WORDS.findall(text)


def _tfidf() -> TfidfTransformer:
    return TfidfTransformer(sublinear_tf=True)


class Block:
    """One text block's vocabulary (term -> column) and scikit-learn's TF-IDF weighting of it.

    The counting is done here rather than by ``TfidfVectorizer``, whose Python loop does
    several dictionary operations per term. Learning the vocabulary, a word is one look-up
    in C as it is found; a Chinese character or pair of characters is no string at all but a
    number made of its code points, counted by numpy over every Chinese text at once (most of
    the terms of 100,000 answers: tens of millions). The terms are those ``analyse`` gives,
    each text's as many times; the weighting is scikit-learn's."""

    def __init__(self, vocabulary: dict[str, int], tfidf: TfidfTransformer | None) -> None:
        self.vocabulary = vocabulary
        self.tfidf = tfidf

    @classmethod
    def fit(cls, texts: Sequence[str], max_words: int) -> tuple[Block, sp.csr_matrix]:
        seen: defaultdict[str, int] = defaultdict(itertools.count().__next__)  # first-seen order
        number = seen.__getitem__
        word_ids = array("i")
        lengths = np.zeros(len(texts), dtype=np.int64)
        chinese: list[str] = []
        chinese_rows: list[int] = []
        for r, text in enumerate(texts):
            text = text.lower()
            if _HAS_CJK.search(text):
                chinese.append(text)
                chinese_rows.append(r)
                found = _NON_CJK_WORDS.findall(text)
            else:
                found = _WORDS.findall(text)
            before = len(word_ids)
            word_ids.extend(map(number, found))
            lengths[r] = len(word_ids) - before
        # Columns: the words as first seen, then the CJK terms by number (``_CjkTerms``).
        cjk = _CjkTerms.of(chinese, chinese_rows, offset=len(seen))
        width = cjk.offset + cjk.width
        rows = np.concatenate([np.repeat(np.arange(len(texts), dtype=np.int64), lengths), cjk.rows])
        cols = np.concatenate([np.frombuffer(word_ids, dtype=np.int32).astype(np.int64), cjk.cols])
        # Each (row, column) once with its count, in row then column order: one sort of numbers.
        cells, tf = np.unique(rows * width + cols, return_counts=True)
        del rows, cols
        cell_rows, cell_cols = np.divmod(cells, width)
        terms, df = np.unique(cell_cols, return_counts=True)
        often = df >= MIN_DF
        # The most frequent terms, equal counts in column order; kept in column order.
        keep = np.sort(terms[often][np.argsort(-df[often], kind="stable")[:max_words]])
        if not len(keep):
            return cls({}, None), sp.csr_matrix((len(texts), 0), dtype=np.float32)
        at = np.minimum(np.searchsorted(keep, cell_cols), len(keep) - 1)
        kept = keep[at] == cell_cols
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(cell_rows[kept], minlength=len(texts)), out=indptr[1:])
        counts = sp.csr_matrix((tf[kept].astype(np.float32), at[kept].astype(np.int32), indptr),
                               shape=(len(texts), len(keep)))
        words = list(seen)
        vocabulary = {(words[j] if j < len(words) else cjk.term(j)): c for c, j in enumerate(keep.tolist())}
        tfidf = _tfidf()
        return cls(vocabulary, tfidf), tfidf.fit_transform(counts).astype(np.float32)

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


@dataclass
class _CjkTerms:
    """The CJK characters and overlapping pairs of some texts as column numbers, no string made:
    the characters used are numbered 0..n-1 by code point; a character's column is ``offset`` +
    its number, a pair's ``offset + n + n * first + second``. ``rows``/``cols``: one entry per
    term of every text, as many times as the text has it (what ``analyse`` gives)."""

    used: np.ndarray  # the code points of the characters used, ascending
    offset: int
    rows: np.ndarray
    cols: np.ndarray

    @property
    def width(self) -> int:
        return len(self.used) + len(self.used) ** 2

    @classmethod
    def of(cls, texts: list[str], rows: list[int], offset: int) -> _CjkTerms:
        if not texts:
            none = np.zeros(0, dtype=np.int64)
            return cls(none, offset, none, none)
        # One array of code points; the newline between two texts is no CJK character, so no
        # pair spans two texts. A lone surrogate is one code unit, as it is one character.
        points = np.frombuffer("\n".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        row = np.repeat(np.asarray(rows, dtype=np.int64), [len(t) + 1 for t in texts])[:len(points)]
        cjk = np.zeros(len(points), dtype=bool)
        for low, high in _CJK_RANGES:
            cjk |= (points >= low) & (points <= high)
        number = np.zeros(_CJK_RANGES[-1][1] + 1, dtype=np.int64)
        used = np.flatnonzero(np.bincount(points[cjk], minlength=len(number)))
        number[used] = np.arange(len(used))
        pair = cjk[:-1] & cjk[1:]
        n = len(used)
        chars = offset + number[points[cjk]]
        pairs = offset + n + n * number[points[:-1][pair]] + number[points[1:][pair]]
        return cls(used, offset, np.concatenate([row[cjk], row[:-1][pair]]), np.concatenate([chars, pairs]))

    def term(self, col: int) -> str:
        """The character or pair of characters of column ``col``."""
        k, n = col - self.offset, len(self.used)
        if k < n:
            return chr(self.used[k])
        first, second = divmod(k - n, n)
        return chr(self.used[first]) + chr(self.used[second])


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
