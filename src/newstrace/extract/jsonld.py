"""schema.org metadata embedded as JSON-LD: the article object a news page describes itself with.

Publishers fill ``NewsArticle`` (and kin) for search engines, so its headline, authors, dates and
publisher are usually more reliable than anything guessed from the page layout. ``articleBody`` is
sometimes the whole text and sometimes only a teaser: callers decide whether to trust it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from lxml.html import HtmlElement

# Types that describe the page's own article (schema.org Article and its subtypes in use on news sites).
_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "askpublicnewsarticle",
    "satiricalarticle",
    "scholarlyarticle",
    "techarticle",
    "report",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
}
_PAGE_TYPES = {"webpage", "itempage", "webpageelement"}
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


@dataclass(slots=True)
class LinkedData:
    """What the page's schema.org article object says about itself."""

    kind: str | None = None
    headline: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    publisher: str | None = None
    body: str | None = None
    url: str | None = None
    language: str | None = None


def read_linked_data(tree: HtmlElement) -> LinkedData:
    """The page's article object from its ``application/ld+json`` scripts (empty when there is none)."""
    objects: list[dict[str, Any]] = []
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        data = _load(script.text or "")
        if data is not None:
            objects.extend(_walk(data))
    if not objects:
        return LinkedData()
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str) and len(o) > 1}
    articles = [o for o in objects if _types(o) & _ARTICLE_TYPES]
    if not articles:
        return LinkedData(publisher=_publisher(objects, by_id))
    # The page's own article is the richest one; related-article stubs carry only a headline and url.
    article = max(articles, key=_richness)
    pages = [o for o in objects if _types(o) & _PAGE_TYPES]
    return LinkedData(
        kind=next(iter(sorted(_types(article) & _ARTICLE_TYPES))),
        headline=_text(article.get("headline") or article.get("name")),
        authors=_names(article.get("author") or article.get("creator"), by_id),
        published=_text(article.get("datePublished") or article.get("dateCreated")),
        modified=_text(article.get("dateModified")),
        publisher=_publisher([article, *pages, *objects], by_id),
        body=_paragraphs(article.get("articleBody")),
        url=_url(article.get("url") or article.get("mainEntityOfPage")),
        language=_language(article.get("inLanguage") or next((p.get("inLanguage") for p in pages if p.get("inLanguage")), None)),
    )


def _richness(obj: dict[str, Any]) -> tuple[bool, bool, bool, int]:
    return bool(obj.get("articleBody")), bool(obj.get("datePublished")), bool(obj.get("author")), len(obj)


def _load(raw: str) -> Any:
    """Parse one script's JSON, forgiving the usual hand-written slips (CDATA wrappers, trailing commas)."""
    text = _CDATA.sub("", raw.strip()).strip().rstrip(";")
    if not text:
        return None
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    return None


def _walk(data: Any):
    """Every JSON object in the data, nested ones and ``@graph`` members included."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            stack.extend(v for v in reversed(list(item.values())) if isinstance(v, (list, dict)))


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1].lower() for k in kinds if isinstance(k, str)}


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    # Some publishers put HTML entities ("&#8217;", "&nbsp;") into their JSON strings.
    value = " ".join(unescape(value).split())
    return value or None


def _paragraphs(value: Any) -> str | None:
    """Like ``_text`` but keeps the line breaks that separate paragraphs."""
    if not isinstance(value, str):
        return _text(value)
    lines = (" ".join(line.split()) for line in unescape(value).splitlines())
    return "\n".join(line for line in lines if line) or None


def _url(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    text = _text(value)
    return text if text and text.startswith(("http://", "https://")) else None


def _names(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Author names from a string, a Person/Organization object, an ``@id`` reference, or a list of these."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict) and "name" not in item and isinstance(item.get("@id"), str):
            item = by_id.get(item["@id"], item)
        name = _text(item.get("name")) if isinstance(item, dict) else _text(item)
        if name and not name.startswith(("http://", "https://")) and name not in names:
            names.append(name)
    return names


def _publisher(candidates: list[dict[str, Any]], by_id: dict[str, dict[str, Any]]) -> str | None:
    for obj in candidates:
        publisher = obj.get("publisher") or obj.get("sourceOrganization")
        names = _names(publisher, by_id) if publisher else []
        if names:
            return names[0]
    return None


def _language(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    text = _text(value)
    return text.replace("_", "-") if text and len(text) <= 12 else None
