"""A page's language from its text, for pages whose markup does not state it.

Function words are the surest cheap signal: every running text in a language is full of them, and
the lists barely overlap. Only a clear winner is reported; otherwise the language stays unknown.
"""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE_WORDS = 400
_MIN_HITS = 8
_MIN_SHARE = 0.15  # of the sampled words that must be function words of the winner
_MARGIN = 2.0  # the winner must have this many times the runner-up's hits

_FUNCTION_WORDS = {
    "en": "the of and to in is that for it was on with as be by at this are from have has he his they not",
    "de": "der die und das ist nicht ein eine zu den von mit sich des auf für im dem auch es an werden aus",
    "fr": "le la les et des est un une du en que qui pas pour dans sur au ce sont avec il par plus ne",
    "es": "el la los las y de que en un una es por con para del se no al lo como más su pero sus",
    "it": "il la di che e è un una per del della non in sono le gli con si al da dei anche come",
    "pt": "o a os as de que e do da em um uma para com não no na se por mais dos das ao é",
    "nl": "de het een en van is dat op te in voor niet met zijn er aan ook als bij door maar",
    "id": "yang dan di dengan untuk dari ini itu dalam tidak akan pada ke adalah juga karena oleh",
    "ru": "и в не на что с как по это он она они к но из за от для так его же",
}
_LOOKUP: dict[str, list[str]] = {}
for _language, _words in _FUNCTION_WORDS.items():
    for _word in _words.split():
        _LOOKUP.setdefault(_word, []).append(_language)


def guess_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language when its function words say so clearly, else None."""
    words = _WORD.findall(text[: _SAMPLE_WORDS * 12].lower())[:_SAMPLE_WORDS]
    if not words:
        return None
    hits: Counter[str] = Counter()
    for word in words:
        for language in _LOOKUP.get(word, ()):
            hits[language] += 1
    ranked = hits.most_common(2)
    if not ranked:
        return None
    best, count = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if count >= _MIN_HITS and count >= _MIN_SHARE * len(words) and count >= _MARGIN * runner_up:
        return best
    return None
