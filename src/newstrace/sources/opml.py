"""OPML subscription lists: the feeds named by their outlines' ``xmlUrl``."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

from newstrace.model import NewstraceError
from newstrace.sources.fetch import is_url


_OPML_ROOT = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*)*<opml\b", re.I | re.S)


def looks_like_opml(head: bytes) -> bool:
    """Whether the first bytes of a file open an OPML document."""
    return bool(_OPML_ROOT.match(head[:4096]))


def feed_locations(content: bytes, name: str) -> Iterator[str]:
    """The feed URLs (or paths) the OPML list names, in order, each once.

    Relative locations are resolved against the list itself: a URL against its URL, a path against
    its folder, so that a local list can name local feed files.
    """
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise NewstraceError(name, f"not a readable OPML list: {exc}") from exc
    if root.tag.lower() != "opml":
        raise NewstraceError(name, f"not an OPML list (root element <{root.tag}>)")
    seen: set[str] = set()
    for outline in root.iter("outline"):
        location = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not location:
            continue
        if is_url(name):
            location = urljoin(name, location)
        elif not is_url(location) and not Path(location).is_absolute():
            location = str(Path(name).parent / location)
        if location not in seen:
            seen.add(location)
            yield location
