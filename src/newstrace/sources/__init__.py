"""Sources: where the bytes come from. Each yields ``Document`` objects."""

from newstrace.sources.pages import iter_pages, read_page

__all__ = ["iter_pages", "read_page"]
