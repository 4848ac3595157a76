"""Near-duplicate articles: MinHash signatures over word 5-shingles, an LSH index, threshold 0.8.

An agency story republished with a new headline, a changed sentence or a trailing paragraph has
a different content hash but nearly the same shingles. Signatures are stored with each article
(`article_signatures`), so the index of a later run is rebuilt from the database and sees every
earlier article.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from lagebild.store import Signature, Store
from lagebild.store.identity import normalise_text

NUM_PERM = 128
SEED = 1
SHINGLE_WORDS = 5
THRESHOLD = 0.8

_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Word n-grams of the normalised, lower-cased text (the whole text if it has fewer words)."""
    words = _WORD.findall(normalise_text(text).lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@lru_cache(maxsize=1)
def scheme() -> str:
    """datasketch's permutation scheme: `affine32` since datasketch 2.0, `legacy` before.

    Values made with different schemes are not comparable, so the scheme is stored with each
    signature and only signatures of the running scheme are loaded.
    """
    if "scheme" in inspect.signature(MinHash.__init__).parameters:
        return "affine32"
    return "legacy"


def _minhash(num_perm: int, seed: int, hashvalues: np.ndarray | None = None) -> MinHash:
    kwargs = {"scheme": scheme()} if scheme() != "legacy" else {}
    return MinHash(num_perm=num_perm, seed=seed, hashvalues=hashvalues, **kwargs)


def minhash(text: str, num_perm: int = NUM_PERM, seed: int = SEED) -> MinHash:
    m = _minhash(num_perm, seed)
    m.update_batch(list(shingles(text)))
    return m


def to_signature(m: MinHash) -> Signature:
    return Signature(int(m.num_perm), int(m.seed), scheme(), m.hashvalues.astype("<u4").tobytes())


def from_bytes(blob: bytes, num_perm: int = NUM_PERM, seed: int = SEED) -> MinHash:
    values = np.frombuffer(blob, dtype="<u4")
    return _minhash(num_perm, seed, values.astype(np.uint64) if scheme() == "legacy" else values.copy())


@dataclass(slots=True, frozen=True)
class NearDuplicate:
    article_id: str
    similarity: float  # estimated Jaccard similarity of the shingle sets


class NearDuplicateIndex:
    """An LSH index over the signatures in a store, kept up to date as articles are added."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM, seed: int = SEED) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.seed = seed
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._size = 0
        self._recent: dict[str, np.ndarray] = {}  # signatures added in this run (not all stored yet)

    def __len__(self) -> int:
        return self._size

    def load(self, store: Store) -> int:
        """Add every signature stored with these parameters; returns how many."""
        n = 0
        for article_id, blob in store.signatures(self.num_perm, self.seed, scheme()):
            self.add(article_id, from_bytes(bytes(blob), self.num_perm, self.seed), remember=False)
            n += 1
        return n

    def add(self, article_id: str, m: MinHash, *, remember: bool = True) -> None:
        if article_id in self._lsh:
            return
        self._lsh.insert(article_id, m)
        self._size += 1
        if remember:
            self._recent[article_id] = m.hashvalues.astype("<u4")

    def discard(self, article_id: str) -> None:
        """Forget an article that was indexed but could not be stored."""
        if article_id in self._lsh:
            self._lsh.remove(article_id)
            self._size -= 1
        self._recent.pop(article_id, None)

    def signature(self, text: str) -> MinHash:
        return minhash(text, self.num_perm, self.seed)

    def find(self, m: MinHash, store: Store) -> NearDuplicate | None:
        """The most similar earlier article at or above the threshold, or None."""
        candidates = self._lsh.query(m)
        if not candidates:
            return None
        mine = m.hashvalues.astype("<u4")
        best: NearDuplicate | None = None
        known = {c: self._recent[c] for c in candidates if c in self._recent}
        stored = store.signature_of([c for c in candidates if c not in known]) if len(known) < len(candidates) else {}
        known.update({c: np.frombuffer(bytes(blob), dtype="<u4") for c, blob in stored.items()})
        for article_id, other in sorted(known.items()):
            similarity = float(np.count_nonzero(other == mine)) / self.num_perm
            if similarity >= self.threshold and (best is None or similarity > best.similarity):
                best = NearDuplicate(article_id, similarity)
        return best
