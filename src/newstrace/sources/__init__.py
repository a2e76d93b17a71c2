"""Sources: where the bytes come from. Each yields ``Document`` objects (or the errors met on the way).

``iter_documents(source)`` is the one entry point for a corpus: it takes a file, a folder, ``-``, an
http(s) URL, an RSS/Atom feed, an OPML list, a WARC archive or a JSON Lines file, and dispatches on
what the source is (by name, then by its first bytes).
"""

from newstrace.sources.dispatch import iter_documents, source_kind
from newstrace.sources.fetch import Fetcher, fetch_url
from newstrace.sources.pages import iter_pages, read_page

__all__ = ["Fetcher", "fetch_url", "iter_documents", "iter_pages", "read_page", "source_kind"]
