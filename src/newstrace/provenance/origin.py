"""Finding the wire agency that first wrote an article's text, with the evidence that shows it.

Each kind of evidence has a weight: what only the agency's own copy carries (a dateline
"WASHINGTON (AP) —", a desk sign-off, an agency byline or credit) weighs most; what shows the
agency's reporters at work ("told AFP", "AFP journalists") weighs less; a mere citation ("according
to Reuters") weighs least, because an outlet citing a wire did not necessarily copy it. The agency
with the highest total at or above ``AUTHORSHIP`` is the origin.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from newstrace.extract.text import SIGN_OFF
from newstrace.model import Article, Origin
from newstrace.provenance.agencies import Agency, agencies, alias_pattern, lookup
from newstrace.provenance.fingerprint import fingerprint_text

AUTHORSHIP = 2  # the least total weight that makes an agency the text's origin
_STRONG, _WORKING, _CITING = 3, 2, 1


@dataclass(frozen=True, slots=True)
class _Clue:
    agency: Agency
    weight: int
    evidence: str


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], int]]:
    """(pattern with an ``agency`` group, weight of the evidence)."""
    a = rf"(?P<agency>{alias_pattern()})"
    return [
        # "told AFP", "said in an interview with Reuters", "seen by AFP"
        (re.compile(rf"(?:\b\w+\s+)?\b(?:told|telling|tells|said to|speaking to|spoke to|interview with|seen by|obtained by|confirmed to)\s+(?:the\s+)?{a}\b"), _WORKING),
        # "AFP journalists", "an AFP reporter", "Reuters photographers", "an AFP tally"
        (re.compile(rf"\b{a}(?:'s)?\s+(?:journalists?|reporters?|correspondents?|photographers?|staff(?:ers)?|teams?|tally|count|calculations?|videos?|footage)\b"), _WORKING),
        (re.compile(rf"\b{a}\s+(?:has learned|learned|understands|was told|could not (?:independently )?(?:verify|confirm))\b"), _WORKING),
        # "according to Reuters", "Reuters reported"
        (re.compile(rf"\b(?:according to|reported by|cited by) (?:the\s+)?{a}\b"), _CITING),
        (re.compile(rf"\b{a}\s+reported\b"), _CITING),
    ]


_DATELINE_WINDOW = 90
_CREDIT_LINE = re.compile(r"^(?:[-–—(©]|copyright|source:|with|via|by)?\s*(?:\(c\)\s*)?(?:\d{4}\s+)?(?P<name>[\w .&'’-]{2,40}?)\s*\)?\s*$", re.I)
# A wire desk's credit names its editors too: "(Reporting by A in Kyiv; Editing by B)". A bare
# "Additional reporting by A" is how many outlets credit their own staff, so it shows no wire.
_DESK_CREDIT = re.compile(r"^\(?(?:additional )?(?:reporting|writing) by\b.*[;,]\s*editing by\b", re.I)
_CONTRIBUTED = re.compile(r"\b(?P<name>[A-Z][\w .&'’-]{1,40}?)\s+contributed to this report\b")


def _context(text: str, start: int, end: int, words: int = 4) -> str:
    """The matched phrase and the words that follow it, up to the clause's end."""
    after = re.split(r"[.,;:!?“”\"()—]", text[end : end + 80])[0].split()[:words]
    return " ".join([text[start:end], *after]).strip()


def _datelines(article: Article) -> list[_Clue]:
    clues = []
    lead = [article.text[p.span[0] : p.span[1]] for p in article.paragraphs[:2]]
    dateline = re.compile(rf"^(?P<line>[^\n]{{0,{_DATELINE_WINDOW}}}?\((?P<agency>{alias_pattern()})\)\s*[-–—:])")
    for paragraph in lead:
        match = dateline.match(paragraph)
        if match and (agency := lookup(match.group("agency"))):
            clues.append(_Clue(agency, _STRONG, f"dateline '{match.group('line').strip()}'"))
    return clues


def _credit_lines(article: Article) -> list[_Clue]:
    """Sign-offs and credits: in the trailer, or as the body's last short paragraphs."""
    tail = [article.text[p.span[0] : p.span[1]] for p in article.paragraphs[-2:]]
    lines = [*article.trailer, *(t for t in tail if len(t.split()) <= 12)]
    clues = []
    for line in lines:
        stripped = line.strip()
        if SIGN_OFF.match(stripped):
            clues.extend(_Clue(agency, _STRONG, f"desk sign-off '{stripped}' ({agency.code} editors' initials)") for agency in agencies() if agency.sign_off == "initials")
            continue
        if _DESK_CREDIT.match(stripped):
            clues.extend(_Clue(agency, _WORKING, f"credit line '{stripped}'") for agency in agencies() if agency.sign_off == "reporting")
            continue
        credit = _CREDIT_LINE.match(stripped)
        if credit and (agency := lookup(credit.group("name"))):
            clues.append(_Clue(agency, _STRONG, f"credit '{stripped}'"))
        for contributed in _CONTRIBUTED.finditer(stripped):
            name = re.sub(r"^(?:the|an?)\s+|\s+(?:writers?|reporters?|journalists?)(?:\s+[A-Z].*)?$", "", contributed.group("name"), flags=re.I)
            if agency := lookup(name):
                clues.append(_Clue(agency, _STRONG, f"credit '{stripped}'"))
    return clues


def _byline_clues(article: Article) -> list[_Clue]:
    clues = []
    for byline in article.bylines:
        for part in re.split(r"\s*(?:,|\||/|\band\b|\bfor\b|-|–|—)\s*", byline):
            if agency := lookup(re.sub(r"\s+(?:staff|news|wire|writers?)$", "", part, flags=re.I)):
                clues.append(_Clue(agency, _STRONG, f"byline '{byline}'"))
    if article.site_name and (agency := lookup(article.site_name)):
        clues.append(_Clue(agency, _STRONG, f"published by {article.site_name}"))
    return clues


def _body_clues(article: Article) -> list[_Clue]:
    clues = []
    for pattern, weight in _patterns():
        for match in pattern.finditer(article.text):
            if agency := lookup(match.group("agency")):
                clues.append(_Clue(agency, weight, _context(article.text, match.start(), match.end())))
    return clues


def _byline_is_reporter(article: Article, agency: Agency) -> bool | None:
    """False when the byline is a republisher's staff name on the agency's story."""
    if not article.bylines:
        return None
    names_agency = re.compile(rf"\b(?:{'|'.join(re.escape(a) for a in agency.aliases)})\b", re.I)
    for byline in article.bylines:
        if names_agency.search(byline):
            return True  # "Jane Roe, AFP" or the agency itself
        if any(byline in line for line in article.trailer if "by" in line.lower()):
            return True  # named in the agency's own reporting credit
    return False


def find_origin(article: Article) -> Origin:
    """The article's origin: agency and evidence when a wire wrote it, the republisher, the fingerprint."""
    clues = [*_datelines(article), *_credit_lines(article), *_byline_clues(article), *_body_clues(article)]
    totals: dict[str, int] = defaultdict(int)
    evidence: dict[str, list[str]] = defaultdict(list)
    by_code = {}
    for clue in clues:
        totals[clue.agency.code] += clue.weight
        by_code[clue.agency.code] = clue.agency
        if clue.evidence not in evidence[clue.agency.code]:
            evidence[clue.agency.code].append(clue.evidence)
    fingerprint = fingerprint_text(article.text)
    if not totals or max(totals.values()) < AUTHORSHIP:
        return Origin(byline_is_reporter=True if article.bylines else None, fingerprint=fingerprint)
    code = max(totals, key=lambda c: (totals[c], -list(totals).index(c)))
    agency = by_code[code]
    site_is_agency = bool(article.site_name and lookup(article.site_name) is agency)
    return Origin(
        agency=agency.code,
        evidence=evidence[code],
        republished_by=None if site_is_agency else article.site_name,
        byline_is_reporter=_byline_is_reporter(article, agency),
        fingerprint=fingerprint,
    )
