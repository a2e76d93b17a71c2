"""Hedges: the words that weaken a claim, mapped to the certainty scale of DESIGN.md.

The scale is the analysts' words of estimative probability (US ICD 203). An unhedged assertion is 1.0
for the speaker; the cue's own distance ("claimed", "alleged") is kept apart as ``cue_commitment``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from newstrace.claims.nlp import doc_text

ALMOST_NO_CHANCE = 0.02
VERY_UNLIKELY = 0.12
UNLIKELY = 0.3
ROUGHLY_EVEN = 0.5
LIKELY = 0.68
VERY_LIKELY = 0.88
ALMOST_CERTAIN = 0.97
CERTAIN = 1.0

SCALE = (ALMOST_NO_CHANCE, VERY_UNLIKELY, UNLIKELY, ROUGHLY_EVEN, LIKELY, VERY_LIKELY, ALMOST_CERTAIN)

# Single words, by lower-cased text; what they modify decides nothing here, their part of speech does.
_WORDS: dict[str, float] = {
    "likely": LIKELY, "probably": LIKELY, "probable": LIKELY, "apparently": LIKELY, "apparent": LIKELY,
    "reportedly": LIKELY, "allegedly": UNLIKELY, "supposedly": ROUGHLY_EVEN, "presumably": LIKELY,
    "seemingly": LIKELY, "unlikely": UNLIKELY, "improbable": UNLIKELY, "doubtful": UNLIKELY,
    "possibly": ROUGHLY_EVEN, "perhaps": ROUGHLY_EVEN, "maybe": ROUGHLY_EVEN, "possible": ROUGHLY_EVEN,
    "may": ROUGHLY_EVEN, "might": ROUGHLY_EVEN, "could": ROUGHLY_EVEN,
    "certainly": ALMOST_CERTAIN, "surely": ALMOST_CERTAIN,
}
# Verbs that hedge what they govern: "is believed", "is expected to", "appears to", "seems".
_VERBS: dict[str, float] = {
    "believe": LIKELY, "expect": LIKELY, "suspect": LIKELY, "think": LIKELY, "appear": LIKELY,
    "seem": LIKELY, "assume": LIKELY, "presume": LIKELY,
}
# Degree words that move a hedge along the scale: "highly likely", "very unlikely".
_STRONGER = {"highly", "very", "extremely", "most", "quite"}
_AFTER_STRONGER = {LIKELY: VERY_LIKELY, UNLIKELY: VERY_UNLIKELY, ROUGHLY_EVEN: LIKELY, VERY_UNLIKELY: ALMOST_NO_CHANCE}
_ALMOST = {"almost", "nearly", "virtually"}
_NEGATIONS = {"not", "n't", "never", "no"}


@dataclass(frozen=True, slots=True)
class Hedge:
    words: str
    certainty: float


def _nearest_on_scale(value: float) -> float:
    return min(SCALE, key=lambda step: abs(step - value))


def hedge_of(token: Token) -> Hedge | None:
    """The hedge that ``token`` heads (with its degree words and negation), if it is one."""
    lower = token.lower_
    certainty = None
    if lower in _WORDS and token.pos_ in {"ADV", "ADJ", "AUX", "VERB"}:
        if lower in {"may", "might", "could"} and token.tag_ != "MD":
            return None
        certainty = _WORDS[lower]
    elif lower in {"certain", "sure"} and token.pos_ == "ADJ":
        certainty = CERTAIN
    elif token.lemma_ in _VERBS and token.pos_ == "VERB" and _is_hedging_verb(token):
        certainty = _VERBS[token.lemma_]
    if certainty is None:
        return None
    start, end = token.idx, token.idx + len(token)
    for child in token.children:
        if child.i == token.i - 1 and child.lower_ in _STRONGER:
            certainty = _AFTER_STRONGER.get(certainty, certainty)
            start = child.idx
        elif child.i == token.i - 1 and child.lower_ in _ALMOST and certainty >= ALMOST_CERTAIN:
            certainty = ALMOST_CERTAIN
            start = child.idx
        elif child.lower_ in _NEGATIONS and child.i < token.i and child.i >= token.i - 3:
            certainty = _nearest_on_scale(1 - certainty)
            start = min(start, child.idx)
    if certainty >= CERTAIN:
        return None
    return Hedge(doc_text(token.doc)[start:end], certainty)


def _is_hedging_verb(token: Token) -> bool:
    """ "is believed (to)", "is expected to", "appears to", "seems": not "we expect rain" as a plain verb."""
    if token.lemma_ in {"appear", "seem"}:
        return any(c.dep_ in {"xcomp", "acomp", "ccomp"} for c in token.children)
    passive = any(c.dep_ == "auxpass" for c in token.children) or token.tag_ == "VBN" and token.dep_ in {"acl", "conj"}
    return passive


def find_hedge(tokens: list[Token]) -> Hedge | None:
    """The hedge of a claim's content: the one closest to the content's main clause, then the first."""
    found: list[tuple[int, int, Hedge]] = []
    members = {t.i for t in tokens}
    for token in tokens:
        hedge = hedge_of(token)
        if hedge is None:
            continue
        depth, node = 0, token
        while node.head.i != node.i and node.head.i in members:
            node, depth = node.head, depth + 1
        found.append((depth, token.i, hedge))
    if not found:
        return None
    return min(found, key=lambda item: (item[0], item[1]))[2]
