"""Copies: near-duplicate articles, found with MinHash LSH over word shingles, form copy groups.

The banding (how many bands of how many rows) is datasketch's ``MinHashLSH`` optimum for the
configured Jaccard threshold; the bands live in the store (``copy_bands``), so that finding the
copies of a new article costs one indexed lookup, whatever the corpus size, and memory stays flat.
A candidate is a copy when one text contains most of the other (estimated from the MinHash Jaccard
similarity and the two shingle counts): trimmed, retitled or extended copies of a wire story stay
copies, while independent reports that share a quote do not.

A copy group is a connected set of copy links; it is named by its smallest article id.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHashLSH
from sqlalchemy import Connection

from newstrace.config import Settings, settings
from newstrace.model import Fingerprint
from newstrace.store import linkdata


@dataclass(slots=True)
class CopyMatch:
    article_id: int
    copy_group_id: int
    containment: float


@lru_cache(maxsize=8)
def _bands(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return tuple(lsh.hashranges)


def band_buckets(fingerprint: Fingerprint, threshold: float) -> list[int]:
    """One bucket per LSH band: a signed 64-bit hash of the band's values and its position."""
    values = np.asarray(fingerprint.hashvalues, dtype="<u8")
    buckets = []
    for index, (start, end) in enumerate(_bands(threshold, fingerprint.num_perm)):
        digest = hashlib.blake2b(values[start:end].tobytes(), digest_size=8, key=index.to_bytes(2, "little")).digest()
        buckets.append(int.from_bytes(digest, "little", signed=True))
    return buckets


def containment(a: Fingerprint, b: Fingerprint) -> float:
    """The share of the smaller text's shingles found in the other, estimated from MinHash.

    With Jaccard J = |A∩B| / |A∪B|, the overlap is |A∩B| = J (|A| + |B|) / (1 + J). J is the
    share of equal MinHash values, as datasketch's ``MinHash.jaccard`` computes it (done here on
    the stored values directly: rebuilding MinHash objects costs more than the comparison).
    """
    if (a.num_perm, a.seed, a.scheme, a.shingle_words) != (b.num_perm, b.seed, b.scheme, b.shingle_words):
        return 0.0
    smaller = min(a.shingle_count, b.shingle_count)
    if smaller == 0:
        return 0.0
    jaccard = float(np.count_nonzero(np.asarray(a.hashvalues) == np.asarray(b.hashvalues))) / a.num_perm
    overlap = jaccard * (a.shingle_count + b.shingle_count) / (1.0 + jaccard)
    return min(1.0, overlap / smaller)


def find_copies(
    conn: Connection, article_id: int, fingerprint: Fingerprint, buckets: list[int], config: Settings
) -> list[CopyMatch]:
    """Stored articles that are copies of ``fingerprint``'s text (the article itself excluded)."""
    matches = []
    for candidate in linkdata.fingerprints_in_buckets(conn, buckets, exclude=article_id):
        share = containment(fingerprint, candidate.fingerprint)
        if share >= config.copy_min_containment:
            matches.append(CopyMatch(candidate.article_id, candidate.copy_group_id, share))
    return matches


def attach_copies(
    conn: Connection,
    article_id: int,
    fingerprint: Fingerprint | None,
    config: Settings | None = None,
    *,
    previous: Fingerprint | None = None,
    fresh: bool = False,
) -> int:
    """Index an article's (new) current text and join it to the copy group of its copies.

    Returns the article's copy group id. An article whose text changed (not ``fresh``; its
    ``previous`` fingerprint says where its old bands are) first leaves its old bands and links;
    the group it leaves is split again along the links that remain.
    """
    config = config or settings()
    own_group = article_id
    if not fresh:
        old_buckets = band_buckets(previous, config.copy_lsh_threshold) if previous else []
        previous_group = linkdata.copy_group_of(conn, article_id)
        if linkdata.drop_copy_index(conn, article_id, old_buckets):
            linkdata.regroup(conn, previous_group)
        own_group = linkdata.copy_group_of(conn, article_id)
    if fingerprint is None or fingerprint.shingle_count == 0:
        return own_group
    buckets = band_buckets(fingerprint, config.copy_lsh_threshold)
    matches = find_copies(conn, article_id, fingerprint, buckets, config)
    linkdata.add_bands(conn, article_id, buckets)
    if not matches:
        return own_group
    linkdata.add_copy_links(conn, article_id, [(m.article_id, m.containment) for m in matches])
    return linkdata.merge_groups(conn, {m.copy_group_id for m in matches} | {own_group})
