"""Whose content to keep where the tagger and the rules read one cue's content differently.

Both are often almost right: the rules follow the parse exactly but stop at conjoined clauses;
the tagger runs on further but sometimes one word too far. Which is right shows in the tagger's
own probabilities at the two readings' edges and in what the readings differ by (a clause, a
quotation's lead-in, a sentence). A logistic model over those features makes the choice; it is
trained on the tagger's out-of-fold predictions on PolNeAR train (``fit_chooser``), so that it
learns how far to trust a tagger on text that tagger has not seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy
from spacy.tokens import Doc

from newstrace.claims.attribution import Attribution
from newstrace.claims.model.data import LABEL_ID
from newstrace.claims.model.decode import fragment_tokens
from newstrace.claims.model.fitted import Logistic, fit_logistic, read_fitted, write_fitted

CHOOSER_FILE = "chooser.json"

_B, _I = LABEL_ID["B-CON"], LABEL_ID["I-CON"]
QUOTE_TYPES = ("direct", "mixed", "indirect")
_QUOTE_MARKS = set("\"“”'‘’`")

# One reading's features (each taken for the tagger's and the rules' reading).
_READING = (
    "mean_log_content",  # the tagger's mean log probability that the reading's tokens are content
    "log_begins",  # ... that its first token begins a content
    "log_stops_after",  # ... that the token after it does not go on with it
    "log_free_before",  # ... that the token before it is no content
    "fragments",
    "log_tokens",
    *(f"quote_{q}" for q in QUOTE_TYPES),
    "ends_sentence",
    "starts_that_to",
)
# Features of how the two readings differ.
_DIFFERENCE = (
    "same_start",
    "same_end",
    "tagger_ends_later",
    "tagger_starts_earlier",
    "tagger_only_log_tokens",  # tokens only the tagger's reading has
    "rules_only_log_tokens",
    "tagger_only_mean_content",  # the tagger's mean probability of content over those tokens
    "rules_only_mean_content",
    "tagger_only_sentence_break",  # a sentence starts inside what only the tagger's reading has
    "rules_only_sentence_break",
    "difference_has_quote_mark",
    "same_quote",
    "same_fragments",
)
FEATURES = (*(f"tagger_{f}" for f in _READING), *(f"rules_{f}" for f in _READING), *_DIFFERENCE)


@dataclass(frozen=True, slots=True)
class ContentChooser(Logistic):
    """A logistic model (one weight per name in FEATURES): the probability that the tagger's
    content is the right one."""

    def prefers_tagger(self, features: numpy.ndarray) -> bool:
        return self.logit(features) > 0.0

    def save(self, path: str | Path) -> None:
        write_fitted(path, FEATURES, self.to_record())

    @classmethod
    def load(cls, path: str | Path) -> ContentChooser:
        return cls.from_record(read_fitted(path, FEATURES, "chooser"))


def fit_chooser(features: numpy.ndarray, tagger_right: numpy.ndarray, l2: float = 1.0, steps: int = 50) -> ContentChooser:
    """Fit the logistic model (``fitted.fit_logistic``): ``features`` one row per choice,
    ``tagger_right`` 1 where the tagger's content was the right one, 0 where the rules' was. With
    no choices to learn from (a quick run on a few articles), the rules' content is kept."""
    fitted = fit_logistic(numpy.asarray(features, dtype=numpy.float64).reshape(-1, len(FEATURES)), tagger_right, l2, steps)
    return ContentChooser(fitted.weights, fitted.mean, fitted.scale, fitted.bias)


def choice_features(doc: Doc, base: int, probs: numpy.ndarray, ruled: Attribution, tagged: Attribution) -> numpy.ndarray:
    """The features (``FEATURES``) of one choice: ``doc`` is the paragraph (its text starts at
    ``base``), ``probs`` the tagger's label probabilities for its tokens."""
    content = numpy.log(numpy.clip(probs[:, _B] + probs[:, _I], 1e-6, 1.0))
    tagger_tokens = fragment_tokens(doc, base, tagged.content) or [0]
    rules_tokens = fragment_tokens(doc, base, ruled.content) or [0]
    tagger_only = sorted(set(tagger_tokens) - set(rules_tokens))
    rules_only = sorted(set(rules_tokens) - set(tagger_tokens))
    tagger_start, rules_start = tagger_tokens[0], rules_tokens[0]
    tagger_end, rules_end = tagger_tokens[-1], rules_tokens[-1]
    difference = [
        tagger_start == rules_start,
        tagger_end == rules_end,
        tagger_end > rules_end,
        tagger_start < rules_start,
        numpy.log1p(len(tagger_only)),
        numpy.log1p(len(rules_only)),
        float(numpy.exp(content[tagger_only]).mean()) if tagger_only else 0.0,
        float(numpy.exp(content[rules_only]).mean()) if rules_only else 0.0,
        any(doc[i].is_sent_start and i != tagger_start for i in tagger_only),
        any(doc[i].is_sent_start and i != rules_start for i in rules_only),
        any(doc[i].text[:1] in _QUOTE_MARKS for i in tagger_only + rules_only),
        tagged.quote == ruled.quote,
        len(tagged.content) == len(ruled.content),
    ]
    return numpy.asarray(
        [*_reading(doc, probs, content, tagged, tagger_tokens), *_reading(doc, probs, content, ruled, rules_tokens), *difference],
        dtype=numpy.float64,
    )


def _reading(
    doc: Doc, probs: numpy.ndarray, content: numpy.ndarray, attribution: Attribution, tokens: Sequence[int]
) -> list[float]:
    first, last = tokens[0], tokens[-1]
    after = next((i for i in range(last + 1, len(doc)) if not doc[i].is_space), None)
    before = next((i for i in range(first - 1, -1, -1) if not doc[i].is_space), None)
    return [
        float(content[list(tokens)].mean()),
        float(numpy.log(max(probs[first, _B], 1e-6))),
        float(numpy.log(max(1.0 - probs[after, _I], 1e-6))) if after is not None else 0.0,
        float(numpy.log(max(1.0 - probs[before, _B] - probs[before, _I], 1e-6))) if before is not None else 0.0,
        len(attribution.content),
        float(numpy.log(len(tokens))),
        *(attribution.quote == q for q in QUOTE_TYPES),
        after is None or doc[after].is_sent_start or doc[last].text in {".", "?", "!"},
        doc[first].lower_ in {"that", "to"},
    ]
