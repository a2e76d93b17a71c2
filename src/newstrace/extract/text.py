"""Plain-text pages: the article from line structure alone.

A page saved as text keeps its site chrome as lines: empty labels ("Date:"), share widgets, a desk
sign-off, "Source link", an author box, "Recent posts" / "Related articles" and their teasers.
The page is read as blocks (runs of lines between blank lines). The first block is the headline;
labels and widgets around the lead are dropped; the body ends at the first block that opens the
page's trailer (a sign-off, a "Source link", a listing heading). Trailer lines that carry provenance
(sign-offs, credits) are kept in ``Article.trailer``; an author box gives the byline and site name.
"""

from __future__ import annotations

import re

from newstrace.extract.article import build_article, clean_bylines, iso_date, normalize_space
from newstrace.model import Article, Document, ParagraphKind

# Headings that open the trailer: after them nothing is article text.
_TRAILER_HEADINGS = re.compile(
    r"^(?:source(?: link)?|original(?:ly published)?(?: at| on)?|read (?:more|the full (?:story|article))|"
    r"recent (?:posts|articles|stories)|related(?: (?:articles|posts|stories|news|content|coverage|reading))?|"
    r"more (?:from|on|stories|news)\b.*|you (?:may|might) also like|recommended(?: for you)?|"
    r"popular (?:posts|stories)|most (?:read|popular)|trending(?: now)?|latest (?:news|posts|stories)|"
    r"(?:leave a |post a )?(?:reply|comment)s?|about the author|tags?|filed under|share this(?: article)?)\s*:?$",
    re.I,
)
# Widgets and labels that can sit anywhere around the lead.
_WIDGET = re.compile(
    r"^(?:share(?: (?:post|this|on \w+|article|story))?|tweet|email|print|whatsapp|facebook|twitter|x|"
    r"linkedin|pinterest|reddit|telegram|copy link|save|comments?|\d+ comments?|advertisement|"
    r"subscribe(?: now)?|sign up|follow us)\s*:?$",
    re.I,
)
_EMPTY_LABEL = re.compile(r"^[A-Z][\w ./-]{0,24}:$")
_LABELLED_DATE = re.compile(r"^(?:date|published|posted|updated)(?: on)?\s*:?\s*(.+)$", re.I)
_BYLINE = re.compile(r"^by\s+\S.{0,80}$", re.I)
# Desk sign-offs: AFP-style editor initials ("cdl-hs/ceb/rsc", "mk/jb/dlm"),
# and "(Reporting by ...; Editing by ...)" lines.
SIGN_OFF = re.compile(r"^[a-z]{2,4}(?:-[a-z]{2,4})*(?:/[a-z]{2,4}(?:-[a-z]{2,4})*)+$")
_REPORTING_CREDIT = re.compile(r"^\(?(?:additional )?(?:reporting|writing|editing) by\b.*\)?$", re.I)
# A subhead: a short block set off by dashes, or a short line with no closing punctuation.
_DASHED_SUBHEAD = re.compile(r"^[-–—•*]+\s*(.+?)\s*[-–—•*]+$")
_SENTENCE_END = re.compile(r"""[.!?…:;"'”’)\]]$""")
# "X is a writer ... for Site News." in an author box.
_AUTHOR_BIO = re.compile(r"^(?P<name>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}) (?:is|was|has been) (?:a|an|the)\b")
_BIO_SITE = re.compile(r"\b(?:for|at|with) (?P<site>[A-Z][\w&'’-]*(?: [A-Z][\w&'’-]*){0,4})")
_NAME_LINE = re.compile(r"^[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}$")
_SHORT_WORDS = 12


def _raw_blocks(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [b.strip() for b in re.split(r"\n[ \t]*\n", text) if b.strip()]


def _join_lines(block: str) -> str:
    """Hard-wrapped paragraph lines become one paragraph."""
    return normalize_space(" ".join(block.split("\n")))


def _is_chrome(block: str) -> bool:
    return bool(_WIDGET.match(block) or _EMPTY_LABEL.match(block))


def _opens_trailer(block: str) -> bool:
    return bool(_TRAILER_HEADINGS.match(block) or SIGN_OFF.match(block) or _REPORTING_CREDIT.match(block))


def _paragraph_kind(block: str) -> tuple[str, ParagraphKind]:
    dashed = _DASHED_SUBHEAD.match(block)
    if dashed:
        return dashed.group(1), "subhead"
    if len(block.split()) <= _SHORT_WORDS and not _SENTENCE_END.search(block) and block[:1].isupper():
        return block, "subhead"
    return block, "body"


def _read_trailer(blocks: list[str]) -> tuple[list[str], list[str], str | None]:
    """Evidence lines, author names and the site name from the lines after the body."""
    evidence: list[str] = []
    authors: list[str] = []
    site = None
    for block in blocks:
        if SIGN_OFF.match(block) or _REPORTING_CREDIT.match(block) or block.lower().startswith(("source", "original")):
            evidence.append(block)
            continue
        bio = _AUTHOR_BIO.match(block)
        if bio:
            authors.append(bio.group("name"))
            sites = _BIO_SITE.findall(block)
            site = site or (sites[-1] if sites else None)
            continue
        if _TRAILER_HEADINGS.match(block) and block.lower().startswith(("recent", "related", "more", "you ", "recommended", "popular", "most", "trending", "latest")):
            break  # teasers follow: nothing about this article
        if _NAME_LINE.match(block) and block not in authors:
            authors.append(block)
    return evidence, authors, site


def extract_text(text: str, document: Document) -> Article:
    raw_blocks = _raw_blocks(text)
    blocks = [_join_lines(b) for b in raw_blocks]
    if not blocks:
        return build_article([])
    title = blocks[0]
    bylines: list[str] = []
    published = None
    body: list[tuple[str, ParagraphKind]] = []
    rest = blocks[1:]
    end = len(rest)
    for index, block in enumerate(rest):
        if _opens_trailer(block):
            end = index
            break
        if _is_chrome(block):
            continue
        labelled = _LABELLED_DATE.match(block)
        if labelled and not body:
            published = iso_date(_parse_date(labelled.group(1)))
            continue
        if _BYLINE.match(block) and not body:
            bylines.extend(clean_bylines(block))
            continue
        body.append(_paragraph_kind(block))
    # A subhead cannot end the body: trailing short lines are chrome that no rule named.
    while body and body[-1][1] == "subhead":
        body.pop()
    # The trailer is read line by line: an author box puts name and bio on consecutive lines.
    trailer_lines = [normalize_space(line) for b in raw_blocks[1 + end :] for line in b.split("\n") if line.strip()]
    evidence, authors, site = _read_trailer(trailer_lines)
    return build_article(
        body,
        title=title,
        bylines=bylines or _confirmed_authors(authors, trailer_lines),
        published=published or iso_date(document.hints.get("published")),
        site_name=site or document.hints.get("site_name"),
        trailer=evidence,
    )


def _confirmed_authors(names: list[str], trailer: list[str]) -> list[str]:
    """Author names from an author box: a name that its bio describes, or that the box repeats."""
    confirmed = []
    for name in names:
        described = any(_AUTHOR_BIO.match(b) and b.startswith(name) for b in trailer)
        repeated = sum(1 for b in trailer if b == name) > 1
        if (described or repeated) and name not in confirmed:
            confirmed.append(name)
    return confirmed


def _parse_date(raw: str) -> str | None:
    from dateutil import parser as date_parser

    try:
        return date_parser.parse(raw, fuzzy=False).date().isoformat()
    except (ValueError, OverflowError):
        return None
