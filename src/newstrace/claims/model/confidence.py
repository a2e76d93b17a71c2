"""How likely each attribution the hybrid finder reads is right, and which doubtful ones to drop.

The finder keeps every cue the tagger labels. On PolNeAR train, read by taggers trained on the
other half, about a quarter of the attributions it then reads have a cue PolNeAR does not mark,
and a third a content that is not exactly PolNeAR's. Two logistic models over what the tagger
and the rules say of a finished attribution (``FEATURES``) estimate the probability that its cue
and that its content are exactly right. An attribution that both doubt (its content below
``content_floor`` and its cue below ``cue_floor``) is dropped. An attribution only one of them
doubts stays: dropping a right cue with a wrong content would cost the cue and the source
what it gains the content. Both models are fitted on out-of-fold readings, as the content
chooser is (``train.fit_content_readers``); the floors are the config's (docs/attribution-model-history.md,
stop 17).

The filter applies only to attributions PolNeAR would mark (``polnear.polnear_would_mark``), the
ones it is fitted on; continued quotations and attributions with no source pass untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy
from spacy.attrs import IS_SPACE, SENT_START
from spacy.tokens import Doc

from newstrace.claims.attribution import LAYOUT_CUES, Attribution
from newstrace.claims.model.chooser import QUOTE_TYPES
from newstrace.claims.cues import cue_for
from newstrace.claims.model.data import LABEL_ID
from newstrace.claims.model.decode import fragment_tokens, spans_overlap
from newstrace.claims.model.fitted import Logistic, fit_logistic, read_fitted, write_fitted

CONFIDENCE_FILE = "confidence.json"

_CUE = [LABEL_ID["B-CUE"], LABEL_ID["I-CUE"]]
_CONTENT = [LABEL_ID["B-CON"], LABEL_ID["I-CON"]]
_SOURCE = [LABEL_ID["B-SRC"], LABEL_ID["I-SRC"]]
# The least probability a log is taken of.
_FLOOR = 1e-6
_LOG_FLOOR = float(numpy.log(_FLOOR))

FEATURES = (
    "cue_mean_log",  # the tagger's mean log probability that the cue's tokens are a cue
    "cue_log_begins",  # ... that its first token begins one
    "tagger_read_cue",  # the tagger's best labels read this very cue
    "rules_read_cue",  # the rules read a cue overlapping it
    "rules_same_content",  # ... with this content
    "rules_same_source",  # ... with this source
    "content_mean_log",  # the tagger's mean log probability that the content's tokens are content
    "content_min_log",  # ... its least likely token's
    "content_log_begins",  # ... that its first token begins a content
    "content_log_stops_after",  # ... that the token after it does not go on with it
    "content_log_free_before",  # ... that the token before it is no content
    "content_fragments",
    "content_log_tokens",
    *(f"quote_{q}" for q in QUOTE_TYPES),
    "content_ends_sentence",
    "content_starts_that_to",
    "content_crosses_sentences",
    "has_source",
    "source_mean_log",  # the tagger's mean log probability that the source's tokens are a source
    "sentence_other_source",  # the tagger's highest source probability elsewhere in the cue's sentence
    "sentence_other_cue",  # ... and highest cue probability
    "cue_in_lexicon",
    "cue_is_say",
    "layout_cue",  # a signed quotation or a speaker's label
    "denial",
    "cue_is_verb",
    "content_tagged_share",  # the share of the content's tokens the tagger's best labels call content
)


@dataclass(frozen=True, slots=True)
class AttributionConfidence:
    """The two models and the floors under which an attribution is doubted."""

    cue: Logistic
    content: Logistic
    cue_floor: float
    content_floor: float

    def keeps(self, features: numpy.ndarray) -> bool:
        """Whether an attribution with these ``FEATURES`` stays: not both models doubt it."""
        return self.content.probability(features) >= self.content_floor or self.cue.probability(features) >= self.cue_floor

    def save(self, path: str | Path) -> None:
        fields = {
            "cue": self.cue.to_record(),
            "content": self.content.to_record(),
            "cue_floor": self.cue_floor,
            "content_floor": self.content_floor,
        }
        write_fitted(path, FEATURES, fields)

    @classmethod
    def load(cls, path: str | Path) -> AttributionConfidence:
        record = read_fitted(path, FEATURES, "attribution confidence model")
        return cls(
            Logistic.from_record(record["cue"]),
            Logistic.from_record(record["content"]),
            float(record["cue_floor"]),
            float(record["content_floor"]),
        )


def fit_confidence(
    features: numpy.ndarray, cue_right: numpy.ndarray, content_right: numpy.ndarray, cue_floor: float, content_floor: float, l2: float = 1.0
) -> AttributionConfidence:
    """Fit both models on one row of ``FEATURES`` per attribution, with whether its cue and its
    content were exactly right (1) or not (0)."""
    x = numpy.asarray(features, dtype=numpy.float64).reshape(-1, len(FEATURES))
    return AttributionConfidence(fit_logistic(x, cue_right, l2), fit_logistic(x, content_right, l2), cue_floor, content_floor)


def attribution_features(
    doc: Doc, base: int, probs: numpy.ndarray, labels: numpy.ndarray, attribution: Attribution, ruled: Sequence[Attribution]
) -> numpy.ndarray:
    """The ``FEATURES`` of one attribution read in the paragraph ``doc`` (its text starts at
    ``base``): ``probs`` are the tagger's label probabilities for its tokens, ``labels`` its best
    labels, ``ruled`` the rules' attributions in the paragraph."""
    # Token attributes as arrays: a token object per look costs more than the rest of the features.
    rows = doc.to_array([IS_SPACE, SENT_START])
    space, starts = rows[:, 0], rows[:, 1] == 1
    word = space == 0
    cue = fragment_tokens(doc, base, attribution.cue, space) or [0]
    content = fragment_tokens(doc, base, attribution.content, space) or [0]
    source = fragment_tokens(doc, base, [attribution.source], space) if attribution.source else []
    is_cue, is_content, is_source = (probs[:, begins] + probs[:, goes_on] for begins, goes_on in (_CUE, _CONTENT, _SOURCE))
    cue_logs, content_logs = _logs(is_cue[cue]), _logs(is_content[content])
    first, last = content[0], content[-1]
    after = next((i for i in range(last + 1, len(doc)) if word[i]), None)
    before = next((i for i in range(first - 1, -1, -1) if word[i]), None)
    same_cue = [r for r in ruled if any(spans_overlap(a, b) for a in r.cue for b in attribution.cue)]
    entry = cue_for(attribution.cue_lemma or "")
    taken = set(cue) | set(content) | set(source)
    sentence = doc[cue[0]].sent
    elsewhere = [i for i in range(sentence.start, sentence.end) if i not in taken and word[i]]
    content_labels = labels[content]
    return numpy.asarray(
        [
            cue_logs.mean(),
            _log(probs[cue[0], _CUE[0]]),
            all(labels[i] in _CUE for i in cue) and labels[cue[0]] == _CUE[0],
            bool(same_cue),
            any(r.content == attribution.content for r in same_cue),
            any(r.source == attribution.source for r in same_cue),
            content_logs.mean(),
            content_logs.min(),
            _log(probs[first, _CONTENT[0]]),
            _log(1 - probs[after, _CONTENT[1]]) if after is not None else 0.0,
            _log(1 - is_content[before]) if before is not None else 0.0,
            len(attribution.content),
            numpy.log(len(content)),
            *(attribution.quote == q for q in QUOTE_TYPES),
            after is None or starts[after] or doc[last].text in {".", "?", "!"},
            doc[first].lower_ in {"that", "to"},
            # In two sentences or more: a sentence starts after its first token.
            starts[min(content) + 1 : max(content) + 1].any(),
            attribution.source is not None,
            _logs(is_source[source]).mean() if source else 0.0,
            is_source[elsewhere].max() if elsewhere else 0.0,
            is_cue[elsewhere].max() if elsewhere else 0.0,
            entry is not None,
            attribution.cue_lemma == "say",
            attribution.continues or not attribution.cue or attribution.cue_lemma in LAYOUT_CUES,
            entry is not None and entry.denial,
            doc[cue[0]].pos_ in {"VERB", "AUX"},
            ((content_labels == _CONTENT[0]) | (content_labels == _CONTENT[1])).mean(),
        ],
        dtype=numpy.float64,
    )


def _log(probability: float) -> float:
    return float(numpy.log(max(probability, _FLOOR)))


def _logs(probabilities: numpy.ndarray) -> numpy.ndarray:
    """``_log`` of each probability, at once."""
    logs = numpy.log(numpy.maximum(probabilities, _FLOOR)).astype(numpy.float64)
    logs[probabilities < _FLOOR] = _LOG_FLOOR
    return logs
