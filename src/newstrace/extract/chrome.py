"""Rules that judge extracted blocks by what they say: the site chrome that sits inside article bodies.

News pages put the same kinds of furniture into their article containers: teaser links to other
stories ("READ MORE: ...", a paragraph that is nothing but a link, lists of links), promotions
("Subscribe to our newsletter", "Follow us on Twitter"), comment-section labels, and at the end
contact lines, copyright notices and production credits. Credits ("Reporting by ...", "SOURCE: ...",
"... contributed to this report") are kept aside as the article's trailer: they are not body text but
they are evidence of where the text came from.
"""

from __future__ import annotations

import re

from newstrace.extract.blocks import Block

_TEASER_WORDS = 30  # a link or a "Read more:" line longer than this is prose, not a teaser
_LINKED = 0.8  # share of a block's text inside links that makes it a link
_PROMO_WORDS = 40
_LABEL_WORDS = 6
_LINK_LIST_ITEMS = 3
_LINK_LIST_SHARE = 0.4
_DATELINE_WORDS = 12

# Lines that send the reader to another story, in the languages of the pages we meet most.
_TEASER_CUE = re.compile(
    r"^[\[(]?\s*(?:(?:read|see|watch|listen|also|more|related|recommended|don'?t miss|must read|"
    r"read more|read also|also read|see also|more from [\w.]+(?: [\w.]+)?|leggi anche|lesen sie auch|lesen sie mehr|"
    r"mehr zum thema|lire aussi|à lire aussi|leia também|veja também|lea también|lee también|читайте также|"
    r"related (?:articles?|stories|coverage|content|links?|news))(?:\s+\w{1,3})?\s*(?:[:\-–—|>»]|\.\.\.|…)|"
    r"also on (?:[\w-]+\.)+[a-z]{2,}\b)",
    re.I,
)
# Short labels that head a block of teasers or a comment section.
_LABEL = re.compile(
    r"^(?:related|related (?:articles?|stories|posts|coverage|content|links?|news)|more|more (?:from|on|in|stories)\b.*|"
    r"you (?:may|might) also (?:like|enjoy)|recommended(?: for you| stories| reading)?|don'?t miss|must read|"
    r"(?:most )?(?:popular|read|trending|viewed)(?: on .*| now| stories| articles)?|trending|"
    r"explore further|further reading|see also|also read|read more|read next|"
    r"user comments|\d*\s*comments?|comments? \(\d+\)|leave a (?:reply|comment)|post a comment|"
    r"join (?:the )?discussion|loading comments.*|comments are closed\.?|tell us what you think.*|"
    r"want to join the discussion\??|feel free to contribute!?|share (?:this|the) (?:article|story|post)|"
    r"print article|order reprints|share|tweet|email|print|advertisement|sponsored|"
    r"(?:tags?|topics?|filed under|categories|category)\s*:.*)[.:!…]*$",
    re.I,
)
_PROMO = re.compile(
    r"\bfollow (?:us|me|him|her|them|@\w+|[\w ]{1,30}) on (?:twitter|facebook|instagram|linkedin|youtube|tiktok)\b|"
    r"\b(?:e-?mail|write to|contact|reach) [\w .'’-]{1,60} (?:at|via|on) \S+@|\bmay be reached at\b|"
    r"\bsubscribe (?:to|now|today|for)\b|\bsign up (?:for|to|here|now)\b|\bnewsletters?\b.*\binbox\b|"
    r"\binbox\b.*\bnewsletters?\b|\bclick(?:ing)? here\b|\bdownload (?:the|our) [\w ]{0,20}app\b|"
    r"\bget (?:the|our) [\w ]{1,30} app\b|\blike this story\b|\bshare it with\b|\bhave a (?:news )?tip\b|"
    r"\ball rights reserved\b|^copyright\b|^©|\bfor your personal,? non-commercial use\b|"
    # Messages of the share-by-email and print widgets.
    r"\ban error has occurred\b|\bthis article has been sent to\b",
    re.I,
)
_URL = re.compile(r"https?://\S+|www\.\S+\.\w+", re.I)
_URL_LINE_WORDS = 8
# A reporter's address or profile link standing alone; a bare web address is often a cited source.
_BARE_CONTACT = re.compile(r"^(?:\S+@\S+\.\w+|(?:twitter\.com/|@)\S+)$", re.I)
_CREDIT = re.compile(
    r"^\(?\s*(?:(?:additional )?reporting|writing|editing|compiled|edited|written|translated) by\b|"
    r"\bcontributed to this (?:report|story|article)\b|^\(?\s*sources?\s*:|^\(?\s*(?:via|credit)\s*:",
    re.I,
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATELINE = re.compile(
    r"^(?:updated|published|posted|last updated|first published|modified)\b|"
    r"\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?|h)?|\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|"
    rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}\b",
    re.I,
)


def drop_chrome(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """The body without site chrome, and the credit lines found at its end (the trailer)."""
    kept = [b for b in _drop_link_lists(blocks) if not _is_chrome(b)]
    kept = _drop_leading_datelines(kept)
    trailer: list[str] = []
    while kept and _ends_body(kept[-1]):
        block = kept.pop()
        if _CREDIT.search(block.text):
            trailer.insert(0, block.text)
    return kept, trailer


def _is_chrome(block: Block) -> bool:
    """A teaser, label or promotion, wherever it sits."""
    text = block.text
    if block.words <= _TEASER_WORDS and _TEASER_CUE.match(text):
        return True
    # A paragraph that is one link is a teaser, and so is each line of a paragraph made of links.
    # A linked subhead is not (product names in a buyer's guide), nor one linked line in prose
    # (the source under "More information"), nor a linked web address (a cited source).
    if (
        block.words <= _TEASER_WORDS
        and block.linked >= _LINKED
        and block.role != "head"
        and block.element_linked >= 0.5
        and not _URL.fullmatch(text)
    ):
        return True
    if block.words <= _LABEL_WORDS and _LABEL.match(text):
        return True
    return block.words <= _PROMO_WORDS and _PROMO.search(text) is not None


def _ends_body(block: Block) -> bool:
    """Furniture that closes an article: credits, and the reporter's address or profile link."""
    text = block.text
    # A short label with a link ("Listen: https://...", "More AP NBA: https://..."), not a cited address alone.
    if block.words <= _URL_LINE_WORDS and _URL.search(text) and _URL.sub("", text).strip(" .,;:()[]"):
        return True
    return block.words <= _PROMO_WORDS and (_CREDIT.search(text) is not None or _BARE_CONTACT.match(text) is not None)


def _drop_link_lists(blocks: list[Block]) -> list[Block]:
    """Lists of other stories, dropped whole: most items are links, or every item carries one."""
    items: dict[int, list[Block]] = {}
    for block in blocks:
        if block.role == "item":
            items.setdefault(block.group, []).append(block)
    teaser_groups = {group for group, members in items.items() if _is_link_list(members)}
    return [b for b in blocks if not (b.role == "item" and b.group in teaser_groups)]


def _is_link_list(items: list[Block]) -> bool:
    if sum(1 for b in items if b.linked >= 0.5) >= max(2, 0.6 * len(items)):
        return True
    return (
        len(items) >= _LINK_LIST_ITEMS
        and all(0 < b.linked and b.words <= _TEASER_WORDS for b in items)
        and sum(b.linked for b in items) / len(items) >= _LINK_LIST_SHARE
    )


def _drop_leading_datelines(blocks: list[Block]) -> list[Block]:
    """Short date and update lines ("Updated at 1:23 p.m.") before the first paragraph."""
    start = 0
    while start < min(3, len(blocks)) and _is_dateline(blocks[start]):
        start += 1
    return blocks[start:]


def _is_dateline(block: Block) -> bool:
    text = block.text.rstrip()
    return block.words <= _DATELINE_WORDS and _DATELINE.search(text) is not None and not text.endswith((".", "?", "!", "”", '"'))
