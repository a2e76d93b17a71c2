"""Store: articles, their versions, entities, claims and link results in one SQL schema
(SQLite by default, any SQLAlchemy URL), with plain functions that read and write dataclasses."""

from newstrace.store.db import is_sqlite, open_store

__all__ = ["is_sqlite", "open_store"]
