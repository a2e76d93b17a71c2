"""Assembling an Article from extracted paragraphs, and cleaning its metadata."""

from __future__ import annotations

import re
from datetime import date, datetime

from newstrace.model import Article, Paragraph, ParagraphKind

_WS = re.compile(r"[ \t\u00a0\u2009\u200a\u202f]+")


def normalize_space(text: str) -> str:
    return _WS.sub(" ", text).strip()


def build_article(blocks: list[tuple[str, ParagraphKind]], **metadata) -> Article:
    """Join paragraph blocks with blank lines and record each one's span in the text."""
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    offset = 0
    for raw, kind in blocks:
        block = normalize_space(raw)
        if not block:
            continue
        if parts:
            offset += 2
        paragraphs.append(Paragraph(span=(offset, offset + len(block)), kind=kind))
        parts.append(block)
        offset += len(block)
    return Article(text="\n\n".join(parts), paragraphs=paragraphs, **metadata)


_BY = re.compile(
    r"^\s*(?:(?:analysis|opinion|commentary|story|text|reporting|reported|posted|written|words|review|interview)\s+)?"
    r"(?:by|von|por|par)\s*[:\-]?\s+",
    re.I,
)
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\||/|\s[-–—]\s)\s*", re.I)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_TAIL = re.compile(
    r"\s*(?:[-–—|,]\s*)?(?:updated|published|posted)?\s*:?\s*"
    rf"(?:\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}).*$",
    re.I,
)
# Words of a job title or a desk, not of a name ("Senior Correspondent", "AP National Writer", "Web Team").
_JOB_WORDS = re.compile(
    r"\b(?:correspondent|reporter|editor|editors|editorial|writer|staff|contributor|columnist|producer|"
    r"analyst|journalist|bureau|chief|senior|desk|team|intern|photographer)\b",
    re.I,
)
# Account names of content systems rather than people.
_PLACEHOLDERS = {"admin", "administrator", "guest", "anonymous", "unknown", "webmaster", "user", "author"}


def clean_bylines(raw: list[str] | str | None) -> list[str]:
    """Names only: no "By", no dates, no job titles ("Jane Roe, Senior Correspondent" → "Jane Roe").

    Organisations named as bylines ("Reuters", "Associated Press") are kept: they say who wrote the
    text. Content-system account names ("admin", "jdoe_42") are dropped.
    """
    if not raw:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    names: list[str] = []
    for item in items:
        item = _DATE_TAIL.sub("", _BY.sub("", " ".join(str(item).split())))
        for part in _SPLIT.split(item):
            part = _BY.sub("", part).strip(" .-–—:")
            if not _is_name(part):
                continue
            if part.isupper() and len(part.split()) > 1:
                part = part.title()
            if part not in names:
                names.append(part)
    return names


def _is_name(part: str) -> bool:
    if not part or len(part) > 60 or part.startswith(("http://", "https://", "@", "www.")):
        return False
    if _JOB_WORDS.search(part) or any(c.isdigit() or c == "_" for c in part):
        return False
    if part.lower() in _PLACEHOLDERS or part.lower().endswith("admin"):
        return False
    # A single lower-case Latin word is a login, not a name.
    return not (part.isascii() and part.islower() and " " not in part)


def iso_date(value: str | date | datetime | None) -> str | None:
    """An ISO date (YYYY-MM-DD) or None; never invented."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", str(value))
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None
