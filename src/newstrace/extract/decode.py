"""Bytes to text: declared charset first, then detection; binary data is refused."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

from newstrace.model import Document, NewstraceError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|article|p)\b", re.I | re.S)
_HTML_TAGS = re.compile(r"<(?:p|div|br|article|span|a|h[1-6])\b[^>]*>", re.I)


def _declared_charset(document: Document, raw: bytes) -> str | None:
    if document.content_type and "charset=" in document.content_type.lower():
        return document.content_type.lower().split("charset=")[-1].split(";")[0].strip().strip('"')
    match = _META_CHARSET.search(raw[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:4096]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > len(sample) * 0.05


def decode_document(document: Document) -> str:
    if isinstance(document.content, str):
        return document.content
    raw = document.content
    if not raw.strip():
        raise NewstraceError(document.name, "empty document")
    if _looks_binary(raw):
        raise NewstraceError(document.name, "binary data, not an HTML or text page")
    declared = _declared_charset(document, raw)
    if declared:
        try:
            return raw.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw).best()
    if best is None:
        raise NewstraceError(document.name, "unknown text encoding")
    return str(best)


def looks_like_html(text: str, content_type: str | None = None) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    if content_type and content_type.lower().startswith("text/plain"):
        return False
    return bool(_HTML_START.match(text)) or len(_HTML_TAGS.findall(text[:20000])) >= 3
