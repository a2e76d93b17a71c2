"""Plain-text pages: the headline, the body paragraphs, and the chrome dropped, from line structure."""

from __future__ import annotations

import re

from newstrace.extract.article import build_article
from newstrace.model import Article, Document

_EMPTY_LABEL = re.compile(r"^[A-Z][\w ]{0,20}:$")


def extract_text(text: str, document: Document) -> Article:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    if not blocks:
        return build_article([])
    title, body = blocks[0], blocks[1:]
    kept = [(b, "body") for b in body if not _EMPTY_LABEL.match(b)]
    return build_article(kept, title=title)
