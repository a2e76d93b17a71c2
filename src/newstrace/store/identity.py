"""What makes two documents the same article, and which outlet an article belongs to."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newstrace.model import Article, Document

_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|ref|src)$", re.I)
_HOST_PREFIX = re.compile(r"^(?:www\d?|m|amp|mobile)\.")
_SPACE = re.compile(r"\s+")


def normalize_url(url: str) -> str:
    """One spelling per page: lower-case scheme and host, no default port, fragment or tracking
    parameters, no trailing slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port in (None, 80 if scheme == "http" else 443) else f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((scheme, netloc, path, query, ""))


def url_host(url: str | None) -> str | None:
    """The site's host without www./m./amp. prefixes, or None."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return _HOST_PREFIX.sub("", host) or None


def content_hash(article: Article) -> str:
    """Hash of what the article says (title and text, spacing ignored): the same page fetched
    twice has the same hash; an edited page does not."""
    body = _SPACE.sub(" ", f"{article.title or ''}\n{article.text}").strip()
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def raw_hash(document: Document) -> str:
    raw = document.content.encode("utf-8") if isinstance(document.content, str) else document.content
    return hashlib.sha256(raw).hexdigest()


def locator(document: Document) -> str:
    """Where the document came from, stable across runs: its URL, or its file's absolute path."""
    if document.url:
        return document.url
    if document.path and document.path != "-":
        name, sep, line = document.path.rpartition(":")
        if sep and line.isdigit() and name:
            return f"{Path(name).resolve()}:{line}"
        return str(Path(document.path).resolve())
    return document.name


def outlet(document: Document, article: Article) -> tuple[str, str]:
    """(key, display name) of the outlet that published the page: its host when known (the
    document's own URL first, since a syndicated page's canonical URL may name the original
    site), else its site name, else the document itself."""
    host = url_host(document.url) or url_host(article.canonical_url)
    name = (article.site_name or "").strip()
    if host:
        return host, name or host
    if name:
        return "name:" + _SPACE.sub(" ", name.lower()), name
    return "doc:" + locator(document), document.source_name or document.name


def article_keys(document: Document, article: Article, digest: str) -> list[str]:
    """Identity keys for the article, best first.

    A page is identified by its canonical URL when that is on the page's own host (syndicated
    copies often name the original site as canonical), else by its URL; a file without a URL by
    its canonical URL, then its path; anything else by its content. The caller takes the first key
    unless it belongs to a different outlet's article.
    """
    keys: list[str] = []
    canonical = normalize_url(article.canonical_url) if article.canonical_url else None
    if document.url:
        own = normalize_url(document.url)
        if canonical and url_host(canonical) == url_host(own):
            keys.append(canonical)
        keys.append(own)
    else:
        if canonical:
            keys.append(canonical)
        if document.path and document.path != "-":
            keys.append("file:" + locator(document))
    keys.append("sha:" + digest)
    return list(dict.fromkeys(keys))
