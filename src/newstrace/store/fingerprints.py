"""Fingerprints in the store: packed bytes, read back as the model's ``Fingerprint``."""

from __future__ import annotations

import struct

import numpy as np

from newstrace.model import Fingerprint

# num_perm, shingle_words, seed, then the scheme's name (length-prefixed ASCII), then the values.
_HEADER = struct.Struct("<HHIB")


def pack(fingerprint: Fingerprint) -> bytes:
    scheme = fingerprint.scheme.encode("ascii")
    header = _HEADER.pack(fingerprint.num_perm, fingerprint.shingle_words, fingerprint.seed, len(scheme))
    return header + scheme + np.asarray(fingerprint.hashvalues, dtype="<u8").tobytes()


def unpack(blob: bytes, shingle_count: int) -> Fingerprint:
    num_perm, shingle_words, seed, scheme_length = _HEADER.unpack_from(blob)
    scheme = blob[_HEADER.size : _HEADER.size + scheme_length].decode("ascii")
    values = np.frombuffer(blob, dtype="<u8", offset=_HEADER.size + scheme_length, count=num_perm)
    return Fingerprint(
        num_perm=num_perm,
        shingle_words=shingle_words,
        seed=seed,
        scheme=scheme,
        hashvalues=values.tolist(),
        shingle_count=shingle_count,
    )
