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


_BY = re.compile(r"^\s*(?:by|written by|words by|von|por|par)\s*[:\-]?\s+", re.I)
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\||/)\s*", re.I)
_DATE_TAIL = re.compile(
    r"\s*(?:[-–—|,]\s*)?(?:updated|published|posted)?\s*:?\s*"
    r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b).*$",
    re.I,
)
_JOB_WORDS = re.compile(
    r"\b(?:correspondent|reporter|editor|writer|staff|contributor|columnist|producer|"
    r"analyst|journalist|bureau|chief|senior|desk|news|agency|team)\b",
    re.I,
)


def clean_bylines(raw: list[str] | str | None) -> list[str]:
    """Names only: no "By", no dates, no job titles ("Jane Roe, Senior Correspondent" → "Jane Roe")."""
    if not raw:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    names: list[str] = []
    for item in items:
        item = _DATE_TAIL.sub("", _BY.sub("", normalize_space(str(item))))
        for part in _SPLIT.split(item):
            part = _BY.sub("", part).strip(" .-–—:")
            if not part or _JOB_WORDS.search(part) and len(part.split()) <= 3 and not _looks_like_name(part):
                continue
            if part.startswith(("http://", "https://", "@")) or len(part) > 60:
                continue
            if part not in names:
                names.append(part)
    return names


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 1 < len(words) <= 4 and all(w[:1].isupper() for w in words) and not _JOB_WORDS.search(text)


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
