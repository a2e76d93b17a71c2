"""A MinHash fingerprint of an article's word shingles (datasketch), for finding copies."""

from __future__ import annotations

import re

from datasketch import MinHash

from newstrace.config import Settings, settings
from newstrace.model import Fingerprint

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int) -> set[bytes]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def fingerprint_text(text: str, config: Settings | None = None) -> Fingerprint:
    config = config or settings()
    minhash = MinHash(num_perm=config.minhash_num_perm, seed=config.minhash_seed)
    units = list(shingles(text, config.minhash_shingle_words))
    minhash.update_batch(units)
    return Fingerprint(
        num_perm=config.minhash_num_perm,
        shingle_words=config.minhash_shingle_words,
        seed=config.minhash_seed,
        scheme=minhash.scheme,
        hashvalues=[int(v) for v in minhash.hashvalues],
        shingle_count=len(units),
    )


def to_minhash(fingerprint: Fingerprint) -> MinHash:
    return MinHash(
        num_perm=fingerprint.num_perm, seed=fingerprint.seed, scheme=fingerprint.scheme, hashvalues=fingerprint.hashvalues
    )
