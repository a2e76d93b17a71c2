"""Fingerprints in the store: packed bytes, read back as the model's ``Fingerprint``."""

from __future__ import annotations

import struct

import numpy as np

from newstrace.model import Fingerprint

_HEADER = struct.Struct("<HHI")


def pack(fingerprint: Fingerprint) -> bytes:
    header = _HEADER.pack(fingerprint.num_perm, fingerprint.shingle_words, fingerprint.seed)
    return header + np.asarray(fingerprint.hashvalues, dtype="<u8").tobytes()


def unpack(blob: bytes, shingle_count: int) -> Fingerprint:
    num_perm, shingle_words, seed = _HEADER.unpack_from(blob)
    values = np.frombuffer(blob, dtype="<u8", offset=_HEADER.size, count=num_perm)
    return Fingerprint(
        num_perm=num_perm,
        shingle_words=shingle_words,
        seed=seed,
        hashvalues=values.tolist(),
        shingle_count=shingle_count,
    )
