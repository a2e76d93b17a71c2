"""Quotation marks: where the quoted stretches of a paragraph are.

Handles curly quotes (“...”), straight quotes ("..."), and the doubled apostrophes of some archives
(''...''). Single quotes are left alone: they are mostly apostrophes or headline scare quotes.
A quote still open at the end of a paragraph runs to its end (news style leaves the closing mark
off a paragraph when the quotation goes on in the next one).
"""

from __future__ import annotations

import re

from newstrace.model import Span

_MARK = re.compile(r"''|``|[\"“”„]")
_OPENERS = {"“", "„", "``"}
_CLOSERS = {"”"}


def quote_regions(text: str) -> list[Span]:
    """Character spans of the quoted stretches of ``text``, quotation marks included."""
    regions: list[Span] = []
    opened: int | None = None
    for match in _MARK.finditer(text):
        mark, start, end = match.group(0), match.start(), match.end()
        if mark in _OPENERS:
            role = "open"
        elif mark in _CLOSERS:
            # A closing mark with nothing open, before a word at the start of a stretch, is an
            # opening mark typed the wrong way round ("”Fear. I am truly afraid ...”").
            opens_word = opened is None and (start == 0 or text[start - 1].isspace()) and end < len(text) and text[end].isalnum()
            role = "open" if opens_word else "close"
        else:
            before = text[start - 1] if start else " "
            after = text[end] if end < len(text) else " "
            if opened is None and not after.isspace() and (before.isspace() or before in "([{—–-:"):
                role = "open"
            elif opened is not None:
                role = "close"
            else:
                role = "open" if not after.isspace() else "close"
        if role == "open":
            opened = start
        elif opened is not None:
            regions.append((opened, end))
            opened = None
    if opened is not None and len(text) - opened > 1:
        regions.append((opened, len(text)))
    return regions


def region_at(regions: list[Span], position: int) -> Span | None:
    """The quoted stretch that contains ``position``, if any."""
    for start, end in regions:
        if start <= position < end:
            return (start, end)
    return None
