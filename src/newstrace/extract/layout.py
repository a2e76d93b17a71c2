"""Rules that judge extracted blocks by where they sit in the page.

Three things text alone cannot tell apart:
- the page header (kicker, headline, standfirst, date and byline lines) from the body's first paragraph:
  header lines share a container with the headline that the body does not share;
- a body split across sibling containers (a story cut into chunks around adverts) from a body that
  really ends: the continuation sits in a sibling of the body container with the same tag and class;
- the body's own subheads and quoted posts, which trafilatura sometimes drops for their markup, from
  furniture: they sit between two body paragraphs of one container.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from newstrace.extract.article import normalize_space
from newstrace.extract.blocks import Block
from newstrace.extract.locate import BLOCK_TAGS, PageText, ancestors, common_ancestor, depth
from newstrace.model import ParagraphKind

_WORD = re.compile(r"\w+")
_HEADER_SCAN = 6  # how many blocks at the top may belong to the page header
_H1_LIMIT = 3  # h1 elements that may hold the headline (some pages also use h1 for the logo)
_KICKER_WORDS = 15  # a line before the headline longer than this is not a kicker or breadcrumb
_LEAD_WORDS = 15  # a block this long after the headline is taken as body text to compare with
_SHARE = 0.75  # the body container holds at least this share of the body text
_TWIN_LEVELS = 3  # how far above the body container split siblings are looked for
_PARAGRAPH_TAGS = {"p", "h2", "h3", "h4", "blockquote", "li", "pre"}
_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
_HEADING_CLASS = re.compile(r"(?:sub|cross|inter)?head(?:ing|line)?\b|\btitle\b", re.I)
_FURNITURE = re.compile(
    r"related|promo|newsletter|advert|\bads?\b|sponsor|share|sharing|caption|credit|comment|subscribe|"
    r"signup|recirc|outbrain|taboola|teaser|recommend|byline|author|timestamp|dateline|pull-?quote",
    re.I,
)
_ROLES = {"li": "item", "blockquote": "quote"}
_GAP_HEADING_WORDS = 20
_GAP_QUOTE_WORDS = 3
_INVISIBLE = {"script", "style", "noscript", "template"}
_SKIP_INSIDE = {"figure", "figcaption", "aside", "nav", "form", "script", "style", "noscript", "button", "footer", "header"}


def locate(blocks: list[Block], page: PageText) -> None:
    """Record each block's element and document position in the parsed page (in place)."""
    position = -1
    for block in blocks:
        element = page.find(block.text)
        if element is not None:
            block.element = element
            position = page.position(element)
        block.position = position


def drop_header(blocks: list[Block], page: PageText, title: str | None) -> tuple[list[Block], list[Block]]:
    """Split off the page header that trafilatura kept above the body: (body, header).

    The headline is found among the first blocks (or, when trafilatura left it out, as the page's h1).
    Short lines before it are kickers and breadcrumbs. Lines after it belong to the header while they
    share a closer container with the headline than with the body text that follows them.
    """
    if not title:
        return blocks, []
    start, headline = _find_headline(blocks, page, title)
    if headline is None:
        return blocks[start:], blocks[:start]
    index = start
    while index < min(len(blocks), start + _HEADER_SCAN):
        block = blocks[index]
        later = next((b for b in blocks[index + 1 :] if b.words >= _LEAD_WORDS and b.element is not None), None)
        if block.element is None or later is None:
            break
        with_headline = common_ancestor(block.element, headline)
        with_body = common_ancestor(block.element, later.element)
        if with_headline is with_body or depth(with_headline) <= depth(with_body):
            break
        index += 1
    return blocks[index:], blocks[:index]


def _find_headline(blocks: list[Block], page: PageText, title: str) -> tuple[int, HtmlElement | None]:
    """How many blocks at the top are kickers and the headline, and the headline's element.

    The headline block is looked for among the first blocks, above any long one; the short lines
    before it are kickers and breadcrumbs. Without a headline block, the page's h1 stands in for it,
    and the short blocks placed before it in the page go.
    """
    # The page's h1 is the headline's surest place; a headline block's text may also match a teaser
    # link to this very article elsewhere in the page. The h1 may word the headline differently
    # from the declared title.
    h1s = [h for h in page.root.iter("h1")][:_H1_LIMIT]
    h1 = next((h for h in h1s if _is_title(h.text_content(), title)), None)
    headlines = [title, *(normalize_space(h.text_content()) for h in h1s)]
    for index, block in enumerate(blocks[:_HEADER_SCAN]):
        if any(_is_title(block.text, headline) for headline in headlines if headline):
            matching_h1 = next((h for h in h1s if _is_title(block.text, normalize_space(h.text_content()))), h1)
            return index + 1, matching_h1 if matching_h1 is not None else block.element
        if block.words > _KICKER_WORDS:
            break
    if h1 is None:
        return 0, None
    order = page.position(h1)
    start = 0
    while start < len(blocks) and 0 <= blocks[start].position < order and blocks[start].words <= _KICKER_WORDS:
        start += 1
    return start, h1


def _is_title(text: str, title: str) -> bool:
    words = _WORD.findall(text.lower())
    target = _WORD.findall(title.lower())
    if not words or not target:
        return False
    if words == target:
        return True
    joined, wanted = " ".join(words), " ".join(target)
    # The headline with a short label ("Video:", a section name), or a title with a site suffix.
    return (wanted in joined and len(words) <= len(target) * 1.3 + 1) or (
        joined in wanted and len(words) >= 0.6 * len(target) and len(words) >= 4
    )


def recover_split_body(blocks: list[Block], page: PageText) -> list[Block]:
    """Add the parts of a body that the page split across sibling containers and trafilatura left out."""
    container = _body_container(blocks)
    if container is None:
        return blocks
    known = {normalize_space(b.text) for b in blocks}
    for node in ancestors(container)[:_TWIN_LEVELS]:
        parent = node.getparent()
        if parent is None or not node.get("class"):
            continue
        # Another <article>, or a twin with its own h1, is a second story (infinite scroll), not a continuation.
        if node.tag == "article":
            break
        twins = [
            s
            for s in parent
            if s is not node and s.tag == node.tag and s.get("class") == node.get("class") and next(s.iter("h1"), None) is None
        ]
        added = [b for twin in twins for b in _twin_blocks(twin, page, known)]
        if added:
            return _in_page_order(blocks, added)
    return blocks


def _body_container(blocks: list[Block]) -> HtmlElement | None:
    """The innermost element holding most of the located body text."""
    weights: dict[HtmlElement, int] = {}
    total = 0
    for block in blocks:
        if block.element is None or block.kind != "body":
            continue
        size = len(block.text)
        total += size
        for element in ancestors(block.element):
            weights[element] = weights.get(element, 0) + size
    if not total:
        return None
    holding = [e for e, w in weights.items() if w >= _SHARE * total]
    return max(holding, key=depth) if holding else None


def _twin_blocks(twin: HtmlElement, page: PageText, known: set[str]) -> list[Block]:
    """Paragraphs of a sibling container that reads like the body: several real paragraphs, few links."""
    blocks: list[Block] = []
    for element in twin.iter(*_PARAGRAPH_TAGS):
        if any(a.tag in _SKIP_INSIDE for a in element.iterancestors()) or _has_block_child(element):
            continue
        block = _element_block(element, page)
        if block is not None and block.text not in known:
            blocks.append(block)
    prose = [b for b in blocks if b.kind == "body" and b.words >= 10 and b.linked < 0.5]
    words = sum(b.words for b in prose)
    linked = sum(b.linked * len(b.text) for b in blocks) / max(1, sum(len(b.text) for b in blocks))
    if len(prose) < 2 or words < 50 or linked > 0.35:
        return []
    return blocks


def fill_gaps(blocks: list[Block], page: PageText) -> list[Block]:
    """Add the subheads and quoted posts that sit between two body paragraphs and trafilatura dropped.

    Between two paragraphs of one container, a heading is the body's own subhead and a blockquote
    (a quotation, an embedded post) is part of the story; trafilatura discards some of them for
    their markup ("social" embeds, headings styled as divs). Other furniture there (figures,
    adverts, teasers) stays out.
    """
    known = " ".join(b.text for b in blocks)
    added: list[Block] = []
    for before, after in zip(blocks, blocks[1:], strict=False):
        first, last = before.element, after.element
        if first is None or last is None or first is last or first.getparent() is not last.getparent():
            continue
        if not 0 <= page.position(first) < page.position(last):
            continue
        for sibling in first.itersiblings():
            if sibling is last:
                break
            # A pull quote repeats a sentence of the body.
            added.extend(b for b in _gap_blocks(sibling, page) if b.text not in known)
    return _in_page_order(blocks, added) if added else blocks


def _in_page_order(blocks: list[Block], added: list[Block]) -> list[Block]:
    """Both lists merged by position in the page; blocks of equal position keep their order."""
    ordered = sorted(enumerate([*blocks, *added]), key=lambda item: (item[1].position, item[0]))
    return [b for _, b in ordered]


def _gap_blocks(element: HtmlElement, page: PageText) -> list[Block]:
    if not isinstance(element.tag, str) or element.tag in _SKIP_INSIDE or _FURNITURE.search(_class_and_id(element)):
        return []
    if element.tag in _HEADINGS or (_HEADING_CLASS.search(element.get("class", "")) and not _has_block_child(element)):
        block = _element_block(element, page, kind="subhead")
        return [block] if block is not None and block.words <= _GAP_HEADING_WORDS and block.linked < 0.5 else []
    quotes = [element] if element.tag == "blockquote" else list(element.iter("blockquote"))
    blocks = [_element_block(q, page) for q in quotes if not any(a.tag == "blockquote" for a in q.iterancestors())]
    return [b for b in blocks if b is not None and b.words >= _GAP_QUOTE_WORDS]


def _element_block(element: HtmlElement, page: PageText, kind: ParagraphKind | None = None) -> Block | None:
    """A block made straight from an element of the page (visible text only)."""
    text = _visible_text(element)
    if not text:
        return None
    linked = sum(len(_visible_text(a)) for a in element.iter("a"))
    heading = element.tag in _HEADINGS or kind == "subhead"
    parent = element.getparent()
    return Block(
        text,
        kind="subhead" if heading else "body",
        role="head" if heading else _ROLES.get(element.tag, "p"),
        linked=min(1.0, linked / len(text)),
        # Items of one list share a group, apart from trafilatura's own groups (non-negative).
        group=-1 - page.position(parent) if element.tag == "li" and parent is not None else -1,
        element=element,
        position=page.position(element),
    )


def _visible_text(element: HtmlElement) -> str:
    """The element's text as a reader sees it: no scripts or styles, block boundaries as spaces."""
    parts: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end"))
    for event, node in walker:
        if event == "start":
            if not isinstance(node.tag, str) or node.tag in _INVISIBLE:
                walker.skip_subtree()
                continue
            if node.tag in BLOCK_TAGS or node.tag == "br":
                parts.append(" ")
            parts.append(node.text or "")
        else:
            if node.tag in BLOCK_TAGS or node.tag == "br":
                parts.append(" ")
            if node is not element:
                parts.append(node.tail or "")
    return normalize_space("".join(parts))


def _class_and_id(element: HtmlElement) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}"


def _has_block_child(element: HtmlElement) -> bool:
    return any(child.tag in _PARAGRAPH_TAGS for child in element)
