"""Page metadata from the markup: schema.org JSON-LD first, then meta tags, then the page itself.

Every field is what the page states; nothing is guessed from the text. A date the page does not state
stays None (htmldate runs with its extensive search off, which would otherwise fall back to any date
found in the text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from htmldate import find_date
from lxml.html import HtmlElement

from newstrace.extract.article import iso_date, normalize_space
from newstrace.extract.jsonld import LinkedData

_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]\s+|\s+::\s+")
_LANG = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$", re.I)
_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator", "byl")
_SITE_META = ("og:site_name", "application-name", "al:ios:app_name")
_BYLINE_XPATH = (
    './/*[@rel="author"] | .//*[@itemprop="author"] | '
    './/*[contains(concat(" ", normalize-space(@class), " "), " byline ")] | '
    './/*[contains(@class, "author-name") or contains(@class, "byline__name") or contains(@class, "author__name")]'
)


@dataclass(slots=True)
class PageMetadata:
    """What the page says about itself; every field may be None."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    language: str | None = None


def read_page_metadata(tree: HtmlElement, linked: LinkedData, url: str | None = None) -> PageMetadata:
    """Title, authors, published date, site name, canonical URL and language of a page."""
    meta = _meta_tags(tree)
    canonical = _canonical(tree, meta, linked, url)
    site_name = _site_name(_first(meta, _SITE_META) or linked.publisher, canonical or url)
    return PageMetadata(
        title=_title(tree, meta, linked, site_name),
        authors=linked.authors or _meta_authors(meta) or _byline_elements(tree),
        published=_published(tree, linked, canonical or url),
        site_name=site_name,
        canonical_url=canonical,
        language=_language(tree, meta, linked),
    )


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """Meta tags by lower-cased name/property/itemprop; the first non-empty value of each wins."""
    found: dict[str, str] = {}
    head = tree.find("head")
    for element in (head if head is not None else tree).iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or element.get("http-equiv")
        value = element.get("content")
        if key and value and value.strip():
            found.setdefault(key.strip().lower(), normalize_space(value))
    return found


def _first(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((meta[k] for k in keys if meta.get(k)), None)


def _title(tree: HtmlElement, meta: dict[str, str], linked: LinkedData, site_name: str | None) -> str | None:
    """The headline: schema.org's if stated, else the page's h1 when the other titles agree with it.

    A "title" that is only the site's name (some sites put it in og:title) is no headline, and a
    schema.org headline cut short (search engines want them brief) gives way to the h1 it begins.
    """
    site = (site_name or "").lower()
    h1 = next((t for t in (normalize_space(e.text_content()) for e in tree.iter("h1")) if t and t.lower() != site), None)
    if linked.headline and linked.headline.lower() != site:
        stem = linked.headline.rstrip(" .…").lower()
        if h1 and len(h1) > len(stem) and h1.lower().startswith(stem):
            return h1
        return _strip_site(linked.headline, site_name)
    title_element = tree.find(".//title")
    page_title = title_element.text_content() if title_element is not None else None
    declared = [
        normalize_space(t)
        for t in (meta.get("og:title"), meta.get("twitter:title"), page_title)
        if t and t.strip() and normalize_space(t).lower() != site
    ]
    if h1 and any(h1.lower() in normalize_space(t).lower() for t in declared):
        return h1
    if declared:
        return _strip_site(normalize_space(declared[0]), site_name)
    return h1


def _strip_site(title: str, site_name: str | None) -> str:
    """Drop a trailing or leading " | Site Name" part from a title."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site = (site_name or "").lower()
    for index in (-1, 0):
        part = parts[index].strip().lower()
        if site and (part == site or part in site or site in part) and len(part) < len(title) / 2:
            rest = parts[:-1] if index == -1 else parts[1:]
            separator = _TITLE_SEPARATORS.search(title)[0]
            return separator.join(rest).strip()
    return title


def _meta_authors(meta: dict[str, str]) -> list[str]:
    value = _first(meta, _AUTHOR_META)
    if not value or value.startswith(("http://", "https://")):
        return []
    return [value]


def _byline_elements(tree: HtmlElement) -> list[str]:
    """Author names marked up in the page (rel=author, itemprop=author, byline classes), short ones only."""
    names: list[str] = []
    for element in tree.xpath(_BYLINE_XPATH)[:6]:
        if element.tag in ("meta", "link"):
            value = element.get("content") or ""
        else:
            value = element.text_content()
        value = normalize_space(value)
        if value and len(value) <= 80 and value not in names:
            names.append(value)
    return names


def _published(tree: HtmlElement, linked: LinkedData, url: str | None) -> str | None:
    """The publication date the page states, as an ISO date; None when it states none."""
    stated = iso_date(linked.published)
    if stated and stated >= "1990":
        return stated
    found = find_date(tree, url=url, original_date=True, extensive_search=False)
    return iso_date(found) if found else None


def _canonical(tree: HtmlElement, meta: dict[str, str], linked: LinkedData, url: str | None) -> str | None:
    for link in tree.iterfind(".//link[@rel]"):
        if "canonical" in link.get("rel", "").lower().split() and link.get("href"):
            href = link.get("href").strip()
            resolved = urljoin(url, href) if url else href
            if resolved.startswith(("http://", "https://")):
                return resolved
    og = meta.get("og:url")
    if og and og.startswith(("http://", "https://")):
        return og
    return linked.url or url


def _site_name(declared: str | None, url: str | None) -> str | None:
    """The site's name as declared, without a tagline ("Name | Slogan") or a handle's "@"; else the host."""
    if declared:
        if declared.startswith(("http://", "https://", "www.")):
            return _host(declared if "://" in declared else f"http://{declared}")
        name = _TITLE_SEPARATORS.split(declared.lstrip("@"))[0].strip()
        if len(name) >= 2:
            return name
    return _host(url)


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _language(tree: HtmlElement, meta: dict[str, str], linked: LinkedData) -> str | None:
    """The primary language subtag ("en" for "en-US"), from the markup only."""
    html = tree if tree.tag == "html" else tree.getroottree().getroot()
    for value in (
        html.get("lang"),
        html.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.get("content-language"),
        meta.get("og:locale"),
        linked.language,
    ):
        if value and _LANG.match(value.strip()):
            return re.split(r"[-_]", value.strip())[0].lower()
    return None
