"""Words that carry content: what story and claim similarity compare.

Lower-cased word tokens without stop words, with number words as digits ("six" and "6" are the
same count) and a light suffix folding ("officers" → "officer", "killed" → "kill") so that
inflections of one word match. No model is needed (not even spaCy's import, which costs seconds):
this runs over every article of a corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

# A number is one token with its separators ("2,000", "1.5"), so that "2,000 drivers" does not
# read as the count "2"; other tokens are runs of letters and digits, with their apostrophes.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100", "thousand": "1000", "dozen": "12"}
# English function words, and the reporting verbs every article uses.
_STOP = frozenset(
    """a about above after again against all almost also although am among an and another any anyone
    anything are around as at be became because become been before being below between both but by can
    cannot could did do does doing done down during each either else enough even ever every few for from
    further had has have having he her here hers herself him himself his how however i if in into is it
    its itself just least less made make many may me might more most much must my myself neither never
    no nor not now of off often on once only or other others otherwise our ours ourselves out over own
    per perhaps quite rather really same several she should since so some something still such than that
    the their theirs them themselves then there these they this those though through thus to too toward
    towards under until up upon us very via was we well were what whatever when where whether which while
    who whom whose why will with within without would yet you your yours yourself yourselves
    said says say saying told tell tells according mr ms mrs""".split()
)


@lru_cache(maxsize=65_536)
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


@lru_cache(maxsize=65_536)
def _term(raw: str) -> str | None:
    """The folded term of one lower-cased token, or None for a stop word (cached: a corpus
    repeats its vocabulary)."""
    if _THOUSANDS.fullmatch(raw):
        return raw.replace(",", "")
    raw = raw.replace("’", "'")
    if raw.endswith("'s"):
        raw = raw[:-2]
    word = _NUMBER_WORDS.get(raw, raw)
    if word in _STOP or (len(word) < 2 and not word.isdigit()):
        return None
    return fold(word)


def content_words(text: str) -> list[str]:
    """The content words of ``text``, folded, in order."""
    terms = map(_term, _TOKEN.findall(text.lower()))
    return [t for t in terms if t is not None]


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
