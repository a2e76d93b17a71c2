"""Opening the store: an SQLAlchemy engine on the configured URL, with the schema in place."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

from newstrace.config import Settings, settings
from newstrace.model import NewstraceError
from newstrace.store.schema import SCHEMA_VERSION, SQLITE_FTS, meta, metadata


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def open_store(url: str | None = None, *, config: Settings | None = None, create: bool = True) -> Engine:
    """An engine on ``url`` (default: the settings' database, SQLite in the data directory).

    With ``create`` the tables are made when missing; without it a missing SQLite file is an error
    (listing commands should not leave empty databases behind).
    """
    config = config or settings()
    url = url or config.database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database)
        if not create and not path.exists():
            raise NewstraceError(url, "no such database (run `newstrace ingest` first)")
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    if create:
        _create_schema(engine)
    return engine


def _sqlite_pragmas(connection, _record) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT (one savepoint per document lets a bad
    # document roll back alone); SQLAlchemy's documented fix: the driver in autocommit, BEGIN by hand.
    connection.isolation_level = None
    cursor = connection.cursor()
    # WAL lets readers (the web reader, a second CLI) work while an ingest writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN")


def _create_schema(engine: Engine) -> None:
    with engine.begin() as conn:
        if "articles" in inspect(conn).get_table_names():
            _create_missing_columns(conn)
            _create_missing_indexes(conn)
            return
        metadata.create_all(conn)
        if is_sqlite(engine):
            for statement in SQLITE_FTS:
                conn.execute(text(statement))
        conn.execute(meta.insert().values(key="schema_version", value=SCHEMA_VERSION))


def _create_missing_columns(conn) -> None:
    """Columns added to the schema after a store was made are added when it is next opened (such
    columns are nullable: the rows already there have no value for them)."""
    inspector = inspect(conn)
    quote = conn.dialect.identifier_preparer.quote
    tables = set(inspector.get_table_names())
    for table in metadata.sorted_tables:
        if table.name not in tables:
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:
                kind = column.type.compile(dialect=conn.dialect)
                conn.execute(text(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} {kind}"))


def _create_missing_indexes(conn) -> None:
    """Indexes added to the schema after a store was made are built when it is next opened."""
    inspector = inspect(conn)
    for table in metadata.sorted_tables:
        present = {index["name"] for index in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in present:
                index.create(conn)
