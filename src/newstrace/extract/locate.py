"""Finding extracted text back in the parsed page.

trafilatura works on a cleaned copy of the page and returns text, not elements. To judge a block by
where it sits (in the header beside the headline, or in a sibling of the body container) we find its
text again in the original tree. Matching ignores whitespace, which extractors and pages both
rearrange, and follows document order, so that a repeated headline is matched where the body uses it.
"""

from __future__ import annotations

from bisect import bisect_right

from lxml import etree
from lxml.html import HtmlElement

_SKIPPED = {"script", "style", "noscript", "template", "svg", "head", "title", "textarea", "select", "button"}
# Elements that make up a paragraph-sized unit of text in a page.
BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dd", "dt", "blockquote", "pre", "figcaption",
    "td", "th", "div", "section", "article", "aside", "header", "footer", "main", "ul", "ol", "table",
    "figure", "form", "nav", "body",
}  # fmt: skip
_PROBE = 40  # characters of a block's text (without whitespace) used to find it


class PageText:
    """The visible text of a page's body, without whitespace, with the element owning each character."""

    def __init__(self, root: HtmlElement):
        body = root.find("body")
        self.root = body if body is not None else root
        pieces: list[str] = []
        self._starts: list[int] = []
        self._owners: list[HtmlElement] = []
        self._order: dict[HtmlElement, int] = {}
        offset = 0
        walker = etree.iterwalk(self.root, events=("start", "end"))
        for event, element in walker:
            if event == "start":
                if not isinstance(element.tag, str) or element.tag in _SKIPPED:
                    walker.skip_subtree()
                    continue
                self._order[element] = len(self._order)
                text = element.text
                owner = element
            else:
                if element is self.root:
                    continue
                text = element.tail
                owner = element.getparent()
            if text:
                compact = _compact(text)
                if compact:
                    self._starts.append(offset)
                    self._owners.append(owner)
                    pieces.append(compact)
                    offset += len(compact)
        self.text = "".join(pieces)
        self._cursor = 0

    def find(self, text: str) -> HtmlElement | None:
        """The smallest block element holding ``text``.

        The search runs onward from the previous match first, so that blocks are found in document
        order; a place where the whole text is present wins over one holding only its beginning
        (a teaser that repeats a paragraph's first words).
        """
        compact = _compact(text)
        if not compact:
            return None
        probe, tail = compact[:_PROBE], compact[-_PROBE:]
        first: tuple[int, int] | None = None
        for origin in (self._cursor, 0):
            start = self.text.find(probe, origin)
            while start >= 0:
                end = self.text.find(tail, start, start + 2 * len(compact) + len(tail))
                if end >= 0:
                    return self._match(start, end + len(tail))
                first = first or (start, start + len(probe))
                start = self.text.find(probe, start + 1)
        return self._match(*first) if first else None

    def _match(self, start: int, end: int) -> HtmlElement:
        self._cursor = end
        first = self._owner_at(start)
        last = self._owner_at(max(start, end - 1))
        return block_of(common_ancestor(first, last))

    def position(self, element: HtmlElement) -> int:
        """Document order of an element of this page's body (-1 when it is not one)."""
        return self._order.get(element, -1)

    def _owner_at(self, offset: int) -> HtmlElement:
        return self._owners[bisect_right(self._starts, offset) - 1]


def _compact(text: str) -> str:
    """The text without any whitespace."""
    return "".join(text.split())


def block_of(element: HtmlElement) -> HtmlElement:
    """The element itself when it is a block, else its nearest block ancestor."""
    node = element
    while node is not None and node.tag not in BLOCK_TAGS:
        node = node.getparent()
    return node if node is not None else element


def ancestors(element: HtmlElement) -> list[HtmlElement]:
    """The element and its ancestors, innermost first."""
    chain = [element]
    chain.extend(element.iterancestors())
    return chain


def common_ancestor(*elements: HtmlElement) -> HtmlElement:
    """The innermost element that contains all the given elements."""
    shared = ancestors(elements[0])
    for element in elements[1:]:
        others = set(ancestors(element))
        shared = [a for a in shared if a in others]
    return shared[0]


def depth(element: HtmlElement) -> int:
    return sum(1 for _ in element.iterancestors())
