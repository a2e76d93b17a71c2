"""The article body as a list of text blocks, from trafilatura's XML body.

Each block keeps what later rules need to judge it: its kind (body or subhead), which element it came
from (paragraph, list item, table cell, quote), how much of it sits inside links, and which top-level
element it belongs to (so that a whole list of links can be judged at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml.etree import _Element

from newstrace.extract.article import normalize_space
from newstrace.model import ParagraphKind

# trafilatura's block elements: their text ends a line.
_BLOCK_TAGS = {"p", "head", "item", "list", "quote", "row", "table"}
_LAYOUT_CELL_BREAKS = 2


@dataclass(slots=True)
class Block:
    """One paragraph-sized piece of text and where it came from."""

    text: str
    kind: ParagraphKind = "body"
    role: str = "p"  # p, head, item, quote, row
    linked: float = 0.0  # share of the text's characters inside links
    group: int = 0  # index of the top-level element the block came from
    # Share of the whole source element inside links (differs from ``linked`` for one line of an
    # element broken into lines).
    element_linked: float = 0.0
    # The element of the parsed page the text was found in, and its document order, when known.
    element: Any = None
    position: int = -1

    @property
    def words(self) -> int:
        return len(self.text.split())


def body_blocks(body: _Element) -> list[Block]:
    """Flatten trafilatura's XML body (p, head, list, quote, table) into blocks, in order.

    Line breaks (``lb``) inside a paragraph end a block: pages that separate their paragraphs with
    ``<br>`` arrive as one paragraph full of line breaks.
    """
    blocks: list[Block] = []
    for group, child in enumerate(body):
        tag = child.tag
        if tag == "list":
            for item in child.iterchildren("item"):
                blocks.extend(_split(item, "item", "body", group))
        elif tag == "table":
            for row in child.iter("row"):
                blocks.extend(_row_blocks([_fragments(cell) for cell in row.iter("cell")], group))
        else:
            role = {"head": "head", "quote": "quote"}.get(tag, "p")
            blocks.extend(_split(child, role, "subhead" if tag == "head" else "body", group))
    return [b for b in blocks if b.text]


def _row_blocks(cells: list[list[tuple[str, bool]]], group: int) -> list[Block]:
    """A data row is one block; a layout row (cells holding ``<br>``-separated paragraphs) is its lines."""
    if any(sum(1 for text, _ in cell if text == "\n") >= _LAYOUT_CELL_BREAKS for cell in cells):
        return [block for cell in cells for block in _blocks_from(cell, "p", "body", group)]
    flat = [(" ", False) if text == "\n" else (text, inside) for cell in cells for text, inside in (*cell, (" ", False))]
    return _blocks_from(flat, "row", "body", group)


def _split(element: _Element, role: str, kind: ParagraphKind, group: int) -> list[Block]:
    return _blocks_from(_fragments(element), role, kind, group)


def _blocks_from(fragments: list[tuple[str, bool]], role: str, kind: ParagraphKind, group: int) -> list[Block]:
    """One block per line; each keeps the share of its own characters that sat inside links."""
    blocks: list[Block] = []
    line: list[tuple[str, bool]] = []
    for fragment in [*fragments, ("\n", False)]:
        if fragment[0] != "\n":
            line.append(fragment)
            continue
        text = normalize_space("".join(t for t, _ in line))
        if text:
            linked = sum(len(normalize_space(t)) for t, inside in line if inside)
            blocks.append(Block(text, kind=kind, role=role, linked=min(1.0, linked / len(text)), group=group))
        line = []
    total = sum(len(b.text) for b in blocks)
    share = sum(b.linked * len(b.text) for b in blocks) / total if total else 0.0
    for block in blocks:
        block.element_linked = share
    return blocks


def _fragments(element: _Element) -> list[tuple[str, bool]]:
    """The element's text as (text, inside a link) pieces, with "\n" pieces where lines end."""
    out: list[tuple[str, bool]] = []

    def walk(node: _Element, in_link: bool) -> None:
        if node.tag == "lb":
            out.append(("\n", False))
            return
        if node.tag == "graphic":
            return
        inside = in_link or node.tag == "ref"
        nested_block = node.tag in _BLOCK_TAGS and node is not element
        if nested_block:
            out.append(("\n", False))
        if node.text:
            out.append((node.text, inside))
        for child in node:
            walk(child, inside)
            if child.tail:
                out.append((child.tail, inside))
        if nested_block:
            out.append(("\n", False))

    walk(element, False)
    return out
