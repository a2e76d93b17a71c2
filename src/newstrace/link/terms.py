"""Words that carry content: what story and claim similarity compare.

Lower-cased word tokens without stop words, with number words as digits ("six" and "6" are the
same count) and a light suffix folding ("officers" → "officer", "killed" → "kill") so that
inflections of one word match. No model is needed: this runs over every article of a corpus.
"""

from __future__ import annotations

import re
from collections import Counter

from spacy.lang.en.stop_words import STOP_WORDS

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100", "thousand": "1000", "dozen": "12"}
_STOP = frozenset(STOP_WORDS) - frozenset(_NUMBER_WORDS) | {"said", "says", "told", "according", "mr", "ms", "mrs"}


def fold(word: str) -> str:
    """A light, rule-based stem: plural and verb endings off, so that inflections match."""
    if word.isdigit() or len(word) <= 4:
        return word
    for suffix, keep in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            if suffix == "es" and not word.endswith(("shes", "ches", "xes", "sses", "zes")):
                continue
            stem = word[: -len(suffix)] + keep
            # "stopped" → "stopp" → "stop": one of a doubled final consonant goes with the suffix.
            if suffix in ("ing", "ed") and len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
                stem = stem[:-1]
            return stem
    return word


def content_words(text: str) -> list[str]:
    """The content words of ``text``, folded, in order."""
    words = []
    for raw in _TOKEN.findall(text.lower()):
        raw = raw.replace("’", "'")
        if raw.endswith("'s"):
            raw = raw[:-2]
        word = _NUMBER_WORDS.get(raw, raw)
        if word in _STOP or (len(word) < 2 and not word.isdigit()):
            continue
        words.append(fold(word))
    return words


def term_counts(text: str) -> Counter[str]:
    return Counter(content_words(text))


# A capitalised word inside a sentence (not after a sentence end or an opening quote) is a name.
_MID_SENTENCE_CAPITAL = re.compile(r"(?<![.!?\"“‘'(]\s)(?<![.!?]\s\s)(?<!^)\b([A-Z][a-z]+(?:['’-][A-Za-z]+)?)", re.M)
_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)


def name_words(text: str) -> set[str]:
    """Folded words written with a capital inside a sentence: the names of people, places and
    organisations, which say which development a text is about (calendar words excepted)."""
    names = set()
    for match in _MID_SENTENCE_CAPITAL.finditer(text):
        word = match.group(1).lower().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if word not in _STOP and word not in _CALENDAR:
            names.add(fold(_NUMBER_WORDS.get(word, word)))
    return names
