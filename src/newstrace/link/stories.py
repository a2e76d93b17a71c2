"""Stories: articles about one development, by text similarity and time, entities breaking ties.

The units are copy groups (a wire story republished ten times is one text, counted once). Each is
a TF-IDF vector of its origin article's content words (document frequencies counted over units,
so that copies do not make a story's own words look common), with the words of names (people,
places, organisations: capitalised inside a sentence) weighted ``story_name_weight`` times: who and
where tell one development from another of the same kind (two rail strikes in one week). Units arrive in order of publication;
a unit joins the open story whose centroid is most similar, when

- the cosine similarity reaches ``story_min_similarity``, and
- its date lies within ``story_window_days`` of the story's last article;

entities break ties: of the stories within 0.05 of the best similarity, the unit joins the one with
which it shares most named entities. (They do not lower the bar: two stories in one country in one
week share their country and capital.) A story
closes once the dates have moved past its window, so only open stories are held in memory.

Units without a publication date cannot be placed in time: they come last and are compared with
every story, which then stay in memory (as compact signatures) until the end.
"""

from __future__ import annotations

import heapq
import math
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from newstrace.config import Settings
from newstrace.link.terms import name_words, term_counts

VECTOR_TERMS = 300  # a unit keeps its heaviest terms (a long article has about this many)
INDEX_TERMS = 12  # a story is found through its units' heaviest terms that other units also have
TIE_MARGIN = 0.05


@dataclass(slots=True)
class Unit:
    """One copy group, as story linking sees it."""

    group_id: int
    published: str | None
    title: str | None
    text: str
    entities: frozenset[str]
    size: int
    origin_article_id: int


@dataclass(slots=True)
class StoryDraft:
    """A story being built: its units and what similarity needs."""

    id: int
    units: list[Unit] = field(default_factory=list)
    centroid: Counter = field(default_factory=Counter)
    entities: Counter = field(default_factory=Counter)
    first_day: int | None = None
    last_day: int | None = None
    norm: float = 0.0

    @property
    def group_ids(self) -> list[int]:
        return [u.group_id for u in self.units]

    @property
    def title_unit(self) -> Unit:
        """The unit that names the story: the most republished text, then the earliest."""
        return min(self.units, key=lambda u: (-u.size, u.published is None, u.published or "", u.group_id))

    def add(self, unit: Unit, vector: dict[int, float]) -> None:
        self.units.append(unit)
        self.centroid.update(vector)
        self.entities.update(unit.entities)
        self.norm = math.sqrt(sum(w * w for w in self.centroid.values()))
        day = _day(unit.published)
        if day is not None:
            self.first_day = day if self.first_day is None else min(self.first_day, day)
            self.last_day = day if self.last_day is None else max(self.last_day, day)

    def compact(self) -> None:
        """Keep only the heaviest centroid terms (a closed story still being compared with)."""
        self.centroid = Counter(dict(self.centroid.most_common(VECTOR_TERMS)))
        self.norm = math.sqrt(sum(w * w for w in self.centroid.values()))


class Vocabulary:
    """Document frequencies of terms over the units, for IDF weights.

    Terms are counted in a fixed array of hashed buckets (feature hashing), so that memory stays
    the same however many distinct words a corpus has; vectors are keyed by bucket. With two
    million buckets, two words sharing one are too rare to matter to a weight.
    """

    BUCKETS = 1 << 21

    def __init__(self, frequencies: np.ndarray, units: int, name_weight: float = 1.0):
        self.df = frequencies
        self.units = max(units, 1)
        self.name_weight = name_weight

    @staticmethod
    def key(term: str) -> int:
        return zlib.crc32(term.encode("utf-8")) & (Vocabulary.BUCKETS - 1)

    @classmethod
    def count(cls, texts: Iterable[str], name_weight: float = 1.0) -> Vocabulary:
        frequencies = np.zeros(cls.BUCKETS, dtype=np.int32)
        units = 0
        for text in texts:
            keys = {cls.key(t) for t in term_counts(text)}
            frequencies[np.fromiter(keys, dtype=np.int64, count=len(keys))] += 1
            units += 1
        return cls(frequencies, units, name_weight)

    @classmethod
    def from_frequencies(cls, frequencies: dict[str, int], units: int, name_weight: float = 1.0) -> Vocabulary:
        """A vocabulary with given document frequencies (for a known collection)."""
        counts = np.zeros(cls.BUCKETS, dtype=np.int32)
        for term, n in frequencies.items():
            counts[cls.key(term)] += n
        return cls(counts, units, name_weight)

    def shared_terms(self, vector: dict[int, float], count: int) -> list[int]:
        """The heaviest terms of ``vector`` that appear in more than one unit: the only ones
        through which another unit can be similar."""
        shared = [(w, k) for k, w in vector.items() if self.df[k] > 1]
        return [k for _, k in heapq.nlargest(count, shared)]

    def vector(self, text: str) -> dict[int, float]:
        """The unit-length TF-IDF vector of a text (sublinear tf, names weighted up), cut to its
        heaviest terms."""
        names = name_words(text)
        weights: dict[int, float] = {}
        for term, n in term_counts(text).items():
            key = self.key(term)
            idf = math.log(self.units / max(int(self.df[key]), 1))
            weights[key] = weights.get(key, 0.0) + (1.0 + math.log(n)) * idf * (self.name_weight if term in names else 1.0)
        norm = math.sqrt(sum(w * w for w in weights.values()))
        if norm == 0:
            return {}
        top = heapq.nlargest(VECTOR_TERMS, weights.items(), key=lambda item: item[1])
        return {k: w / norm for k, w in top}


class StoryLinker:
    """Streams units (dated ones in date order, then undated ones) into stories."""

    def __init__(self, vocabulary: Vocabulary, config: Settings, *, keep_all: bool = False):
        self.vocabulary = vocabulary
        self.config = config
        # With undated units to come, closed stories stay comparable (compacted) until the end.
        self.keep_all = keep_all
        self.open: dict[int, StoryDraft] = {}
        self.kept: dict[int, StoryDraft] = {}
        self.index: dict[int, set[int]] = defaultdict(set)
        self.window = config.story_window_days
        self.current_day: int | None = None

    def add(self, unit: Unit) -> list[StoryDraft]:
        """Place one unit; returns the stories that closed before it (ready to be written)."""
        day = _day(unit.published)
        closed = self._close_before(day) if day is not None else []
        vector = self.vocabulary.vector(unit.text)
        unit.text = ""  # the vector is what is kept
        story = self._best_story(unit, vector, day)
        if story is None:
            story = StoryDraft(id=unit.group_id)
            self.open[story.id] = story
        story.add(unit, vector)
        for term in self.vocabulary.shared_terms(vector, INDEX_TERMS):
            self.index[term].add(story.id)
        return closed

    def finish(self) -> list[StoryDraft]:
        """Every story not yet returned."""
        done = list(self.kept.values()) + list(self.open.values())
        self.open, self.kept, self.index = {}, {}, defaultdict(set)
        return done

    def _close_before(self, day: int) -> list[StoryDraft]:
        if self.current_day == day:
            return []
        self.current_day = day
        closed = [s for s in self.open.values() if s.last_day is not None and day - s.last_day > self.window]
        for story in closed:
            del self.open[story.id]
            if self.keep_all:
                story.compact()
                self.kept[story.id] = story
            else:
                for term in story.centroid:
                    postings = self.index.get(term)
                    if postings is not None:
                        postings.discard(story.id)
                        if not postings:
                            del self.index[term]
        return [] if self.keep_all else closed

    def _candidates(self, vector: dict[int, float]) -> set[int]:
        found: set[int] = set()
        for term in self.vocabulary.shared_terms(vector, INDEX_TERMS):
            found |= self.index.get(term, set())
        return found

    def _best_story(self, unit: Unit, vector: dict[int, float], day: int | None) -> StoryDraft | None:
        config = self.config
        accepted: list[tuple[float, int, StoryDraft]] = []  # similarity, shared entities, story
        for story_id in self._candidates(vector):
            story = self.open.get(story_id)
            if story is None:
                # A closed story is comparable only to undated units (kept for them).
                story = self.kept.get(story_id) if day is None else None
            if story is None or story.norm == 0:
                continue
            if day is not None and story.last_day is not None and day - story.last_day > self.window:
                continue
            similarity = sum(w * story.centroid.get(t, 0.0) for t, w in vector.items()) / story.norm
            if similarity >= config.story_min_similarity:
                accepted.append((similarity, len(unit.entities & story.entities.keys()), story))
        if not accepted:
            return None
        best = max(similarity for similarity, _, _ in accepted)
        close = [item for item in accepted if item[0] >= best - TIE_MARGIN]
        return max(close, key=lambda item: (item[1], item[0], -item[2].id))[2]


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def link_stories(units: Iterable[Unit], vocabulary: Vocabulary, config: Settings, *, keep_all: bool) -> Iterator[StoryDraft]:
    """Stories of ``units`` (dated ones in date order first), each yielded once it is complete."""
    linker = StoryLinker(vocabulary, config, keep_all=keep_all)
    for unit in units:
        yield from linker.add(unit)
    yield from linker.finish()
