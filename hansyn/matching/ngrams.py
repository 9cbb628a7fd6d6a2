"""Character n-gram TF-IDF vectors of forms: what the graded similarity's n-gram rule and the
index's cosines compare (:mod:`hansyn.matching.similarity`, :mod:`hansyn.matching.forms`)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.utils import murmurhash3_32

__all__ = ["Columns", "FloatVector", "NgramModel", "Vector"]

_FEATURES = 1 << 18
_NGRAMS = (2, 4)
_SMALL = 16  # up to this many forms: vectors without scikit-learn (see NgramModel)
_WHITESPACE = re.compile(r"\s\s+")
# scikit-learn's sublinear term frequency 1 + log(n) of the counts 1-64, as numpy's log
# gives it: a query's vector is then one numpy call shorter, the same to the bit
_SUBLINEAR: list[float] = (np.log(np.arange(1, 65, dtype=np.float64)) + 1.0).tolist()
Columns = npt.NDArray[np.int32]
FloatVector = npt.NDArray[np.float64]
Vector = tuple[Columns, FloatVector]  # sorted feature columns, their weights



class NgramModel:
    """Character n-gram TF-IDF vectors of forms (L2-normalised, so a dot product is a cosine).

    Many forms at once go through scikit-learn (``HashingVectorizer`` and
    ``TfidfTransformer``); a few (a query's) through :meth:`_small`, which computes the same
    vectors without scikit-learn's per-call validation (about 20 times faster for one form).
    """

    def __init__(self, corpus: Iterable[str] = ()) -> None:
        self._hasher = HashingVectorizer(analyzer="char", ngram_range=_NGRAMS, lowercase=False,
                                         n_features=_FEATURES, alternate_sign=False, norm=None,
                                         dtype=np.float64)
        self._idf = TfidfTransformer(sublinear_tf=True)
        texts = [_padded(f) for f in corpus if f]
        self._idf.fit(self._hasher.transform(texts or [" "]))
        self._weights: npt.NDArray[np.float64] = np.asarray(self._idf.idf_, dtype=np.float64)
        self._feature: dict[str, int] = {}

    def vectors(self, forms: Sequence[str]) -> sparse.csr_matrix:
        if len(forms) <= _SMALL:
            return self._small(forms)
        counts = self._hasher.transform([_padded(f) for f in forms])
        return sparse.csr_matrix(self._idf.transform(counts))

    def _small(self, forms: Sequence[str]) -> sparse.csr_matrix:
        indptr, indices, data = [0], [], []
        for text in forms:
            columns, values = self.features(text)
            indices.extend(columns.tolist())
            data.extend(values.tolist())
            indptr.append(len(indices))
        return sparse.csr_matrix((np.array(data, dtype=np.float64),
                                  np.array(indices, dtype=np.int32),
                                  np.array(indptr, dtype=np.int32)),
                                 shape=(len(forms), _FEATURES))

    def features(self, text: str) -> Vector:
        """One form's vector as its sorted feature columns and their weights: what a query
        multiplies with the index (no sparse matrix to build for one row)."""
        counts: dict[int, int] = {}
        for gram in _char_ngrams(_padded(text)):
            feature = self._feature.get(gram)
            if feature is None:
                feature = self._feature[gram] = _hashed(gram)
            counts[feature] = counts.get(feature, 0) + 1
        ordered = sorted(counts)
        columns = np.array(ordered, dtype=np.int32)
        tally = [counts[c] for c in ordered]
        if max(tally, default=0) <= len(_SUBLINEAR):  # (no form has an n-gram 64 times)
            values = np.array([_SUBLINEAR[n - 1] for n in tally])
        else:
            values = np.log(np.array(tally, dtype=np.float64)) + 1.0
        values *= self._weights[columns]
        norm = math.sqrt(float(values @ values))
        return columns, values / norm if norm else values


def _char_ngrams(text: str) -> list[str]:
    """scikit-learn's ``analyzer="char"`` n-grams (whitespace runs collapsed to one space)."""
    text = _WHITESPACE.sub(" ", text)
    low, high = _NGRAMS
    return [text[i:i + n] for n in range(low, min(high, len(text)) + 1)
            for i in range(len(text) - n + 1)]


def _hashed(gram: str) -> int:
    """The column ``HashingVectorizer`` gives an n-gram (signed 32-bit MurmurHash3, seed 0)."""
    h = int(murmurhash3_32(gram, seed=0))
    return 2147483647 - (_FEATURES - 1) if h == -2147483648 else abs(h) % _FEATURES


def _padded(text: str) -> str:
    return f" {text} "
