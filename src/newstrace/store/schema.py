"""The store's schema (SQLAlchemy Core), portable across SQLite and PostgreSQL.

Articles keep every version of their text; link results (copy groups, stories, claim groups,
each article's independent origin, each claim's speaker key) are columns and tables that
``newstrace.link`` rewrites. Full-text search uses FTS5 virtual tables, created only on SQLite.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = "1"
metadata = MetaData()

# One row per document as it arrived: what makes re-ingesting the same bytes a no-op.
documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("locator", Text, nullable=False),
    Column("raw_hash", String(64), nullable=False),
    Column("source", Text),
    Column("article_id", Integer, ForeignKey("articles.id")),
    Column("version_id", Integer, ForeignKey("versions.id")),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("locator", "raw_hash", name="uq_documents_locator_hash"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False, unique=True),
    Column("url", Text),
    Column("path", Text),
    Column("outlet_key", Text, nullable=False),
    Column("outlet", Text, nullable=False),
    Column("current_version_id", Integer),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    # Denormalised from the current version for ordering and time windows.
    Column("published", String(10)),
    Column("title", Text),
    # Written by link.
    Column("copy_group_id", Integer, nullable=False),
    Column("story_id", Integer),
    Column("origin_key", Text),
    Column("origin_name", Text),
    Index("ix_articles_copy_group", "copy_group_id"),
    Index("ix_articles_story", "story_id"),
    Index("ix_articles_published", "published", "id"),
    # The reader's recent articles, and its outlet list and filter.
    Index("ix_articles_recent", "last_seen", "id"),
    Index("ix_articles_outlet", "outlet"),
)

versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("bylines", Text, nullable=False),  # JSON list
    Column("published", String(10)),
    Column("site_name", Text),
    Column("canonical_url", Text),
    Column("language", String(16)),
    Column("fetched_at", DateTime(timezone=True)),
    Column("agency", Text),
    Column("agency_evidence", Text, nullable=False),  # JSON list
    Column("republished_by", Text),
    Column("byline_is_reporter", Boolean),
    Column("fingerprint", LargeBinary),
    Column("shingles", Integer, nullable=False),
    Column("partial", Text),  # why the text is incomplete (a feed summary), or NULL
    # The analysis record (JSON, without its text, which is the column above): what the reader shows.
    Column("record", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("article_id", "content_hash", name="uq_versions_article_hash"),
    Index("ix_versions_article", "article_id"),
)

entities = Table(
    "entities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    UniqueConstraint("name", "kind", name="uq_entities_name_kind"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("version_id", Integer, ForeignKey("versions.id"), primary_key=True),
    Column("entity_id", Integer, ForeignKey("entities.id"), primary_key=True),
    Column("count", Integer, nullable=False),
    # An entity's articles (the entity page, related articles).
    Index("ix_mentions_entity", "entity_id"),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("ordinal", Integer, nullable=False),
    Column("speaker", Text),
    Column("speaker_resolved", Text),
    Column("speaker_kind", String(16)),
    Column("speaker_role", Text),
    Column("cue", Text),
    Column("cue_lemma", Text),
    Column("cue_commitment", String(16)),
    Column("content", Text, nullable=False),
    Column("quote", String(8), nullable=False),
    Column("stance", String(8), nullable=False),
    Column("hedge", Text),
    Column("certainty", Float, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    # JSON list: the entities named inside the content.
    Column("entities", Text, nullable=False),
    # JSON list: the lemmas of the content's verbs (NULL in stores made before claims had them).
    Column("verbs", Text),
    # Written by link.
    Column("speaker_key", Text),
    Column("claim_group_id", Integer),
    Index("ix_claims_version", "version_id"),
    Index("ix_claims_article", "article_id"),
    Index("ix_claims_group", "claim_group_id"),
    # An entity's own claims (the entity page).
    Index("ix_claims_speaker", "speaker_resolved"),
)

# MinHash LSH buckets of each article's current fingerprint (one row per band). Looked up by
# bucket only (an article's own rows are found again from its fingerprint), so the key is the
# only index; on SQLite the rows live in it (WITHOUT ROWID).
copy_bands = Table(
    "copy_bands",
    metadata,
    Column("bucket", BigInteger, primary_key=True, autoincrement=False),
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)

# Pairs of articles found to be copies of one text; a copy group is a connected set of them.
copy_links = Table(
    "copy_links",
    metadata,
    Column("a", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("b", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("containment", Float, nullable=False),
    Index("ix_copy_links_b", "b"),
)

copy_groups = Table(
    "copy_groups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("origin_article_id", Integer, nullable=False),
    Column("agency", Text),
    Column("size", Integer, nullable=False),
    Column("published", String(10)),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text),
    Column("first_seen", String(10)),
    Column("last_seen", String(10)),
    Column("articles", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),
    Column("origins", Integer, nullable=False),
    Column("claim_groups", Integer, nullable=False),
    Column("representative_article_id", Integer),
    Index("ix_stories_recent", "last_seen", "id"),
)

claim_groups = Table(
    "claim_groups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("story_id", Integer, nullable=False),
    Column("stance", String(8), nullable=False),
    Column("content", Text, nullable=False),
    Column("representative_claim_id", Integer, nullable=False),
    # For a group of denials: the group it denies.
    Column("denies_group_id", Integer),
    Column("speakers", Integer, nullable=False),
    Column("origins", Integer, nullable=False),
    Column("articles", Integer, nullable=False),
    Column("denials", Integer, nullable=False),
    Index("ix_claim_groups_story", "story_id"),
    Index("ix_claim_groups_denies", "denies_group_id"),
)

errors = Table(
    "errors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text),
    Column("document", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("count", Integer, nullable=False),
    UniqueConstraint("document", "reason", name="uq_errors_document_reason"),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# SQLite only: FTS5 indexes over the current versions' text and over claims, as external-content
# tables (the text lives once, in ``versions`` and ``claims``), kept up to date by triggers: an
# article's index entry follows its current version; a claim is indexed when it is stored.
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE versions_fts USING fts5("
    "title, text, content='versions', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE claims_fts USING fts5("
    "speaker, content, content='', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_current_fts AFTER UPDATE OF current_version_id ON articles "
    "WHEN new.current_version_id IS NOT old.current_version_id BEGIN "
    "INSERT INTO versions_fts(versions_fts, rowid, title, text) "
    "SELECT 'delete', id, title, text FROM versions WHERE id = old.current_version_id; "
    "INSERT INTO versions_fts(rowid, title, text) SELECT id, title, text FROM versions WHERE id = new.current_version_id; "
    "END",
    "CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN "
    "INSERT INTO claims_fts(rowid, speaker, content) "
    "VALUES (new.id, coalesce(new.speaker_resolved, new.speaker, ''), new.content); "
    "END",
)
