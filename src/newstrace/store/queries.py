"""Reading the corpus: stories, a story in full, claim groups about a subject, full-text search,
errors. The CLI and the web reader call these; each returns dataclasses from ``store.records``.

Full-text search uses the FTS5 tables on SQLite and falls back to ``LIKE`` elsewhere.
"""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import Connection, and_, column, desc, func, literal_column, select, table, text

from newstrace.store.records import (
    ArticleRef,
    ClaimGroupView,
    ClaimView,
    CopyGroupView,
    ErrorRecord,
    Origin,
    OriginSupport,
    SearchHit,
    SpeakerSupport,
    StoryDetail,
    StorySummary,
    Support,
)
from newstrace.store.schema import articles, claim_groups, claims, copy_groups, errors, stories, versions

_VERSIONS_FTS = table("versions_fts", column("rowid"))  # SQLite only (schema.SQLITE_FTS)
_QUERY_TERM = re.compile(r'"([^"]+)"|([^\W_]+)', re.UNICODE)


def list_stories(conn: Connection, *, limit: int = 20, offset: int = 0) -> list[StorySummary]:
    """The most recent stories first (by the last day an article of theirs appeared)."""
    rows = conn.execute(
        select(stories).order_by(desc(stories.c.last_seen), desc(stories.c.id)).limit(limit).offset(offset)
    )
    return [_summary(row) for row in rows]


def count_stories(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(stories)).scalar_one()


def get_story(conn: Connection, story_id: int) -> StoryDetail | None:
    """A story with its articles (origins, copy groups), outlets, timeline and claim groups."""
    row = conn.execute(select(stories).where(stories.c.id == story_id)).first()
    if row is None:
        return None
    refs = article_refs(conn, articles.c.story_id == story_id)
    by_group: dict[int, list[ArticleRef]] = defaultdict(list)
    by_outlet: dict[str, list[int]] = defaultdict(list)
    by_origin: dict[str, list[ArticleRef]] = defaultdict(list)
    for ref in refs:
        by_group[ref.copy_group_id].append(ref)
        by_outlet[ref.outlet].append(ref.id)
        if ref.origin:
            by_origin[ref.origin.key].append(ref)
    group_rows = {
        g.id: g for g in conn.execute(select(copy_groups).where(copy_groups.c.id.in_(list(by_group))))
    }
    copies = [
        CopyGroupView(gid, group_rows[gid].origin_article_id, group_rows[gid].agency, [r.id for r in members])
        for gid, members in sorted(by_group.items(), key=lambda item: (-len(item[1]), item[0]))
    ]
    origins = [
        OriginSupport(members[0].origin, [m.id for m in members])
        for _, members in sorted(by_origin.items(), key=lambda item: (-len(item[1]), item[0]))
    ]
    group_ids = conn.scalars(
        select(claim_groups.c.id)
        .where(claim_groups.c.story_id == story_id)
        .order_by(desc(claim_groups.c.origins), desc(claim_groups.c.speakers), desc(claim_groups.c.articles), claim_groups.c.id)
    ).all()
    return StoryDetail(
        summary=_summary(row),
        articles=sorted(refs, key=lambda r: (r.published or r.first_seen.date().isoformat(), r.id)),
        copy_groups=copies,
        outlets=sorted(by_outlet.items(), key=lambda item: (-len(item[1]), item[0])),
        origins=origins,
        claim_groups=claim_group_views(conn, group_ids),
    )


def find_claim_groups(conn: Connection, about: str, *, limit: int = 20, offset: int = 0) -> list[ClaimGroupView]:
    """Claim groups with a claim whose content or speaker matches ``about``, strongest support
    first (independent origins, then speakers, then articles)."""
    matching = matching_claims(conn, about)
    if matching is None:
        return []
    group_ids = conn.scalars(
        select(claim_groups.c.id)
        .where(claim_groups.c.id.in_(select(claims.c.claim_group_id).where(claims.c.id.in_(matching))))
        .order_by(desc(claim_groups.c.origins), desc(claim_groups.c.speakers), desc(claim_groups.c.articles), claim_groups.c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return claim_group_views(conn, group_ids)


def search_articles(
    conn: Connection,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
) -> list[SearchHit]:
    """Articles whose current title or text has every word of ``query`` (phrases in quotes),
    best match first (newest stored first when every word is in very many articles: see
    ``RANKED_SEARCH_MAX_DOCS``); ``since``/``until`` (ISO dates, inclusive) and ``outlet`` narrow them."""
    terms = _query_terms(query)
    if not terms:
        return []
    narrow = []
    if since:
        narrow.append(articles.c.published >= since)
    if until:
        narrow.append(articles.c.published <= until)
    if outlet:
        narrow.append(articles.c.outlet == outlet)
    if conn.dialect.name == "sqlite":
        match = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
        index = literal_column("versions_fts")
        rows = conn.execute(
            select(versions.c.article_id.label("id"), func.snippet(index, 1, "[", "]", "…", 14).label("snippet"))
            .select_from(
                _VERSIONS_FTS.join(versions, versions.c.id == _VERSIONS_FTS.c.rowid).join(articles, articles.c.id == versions.c.article_id)
            )
            .where(index.op("MATCH")(match), *narrow)
            .order_by(*((_VERSIONS_FTS.c.rowid.desc(),) if _too_common_to_rank(conn, terms) else (func.bm25(index, 4.0, 1.0), versions.c.id)))
            .limit(limit)
            .offset(offset)
        ).all()
        snippets = {row.id: " ".join(row.snippet.split()) for row in rows}
        order = [row.id for row in rows]
    else:
        haystack = func.lower(func.coalesce(versions.c.title, "") + " " + versions.c.text)
        conditions = [haystack.like("%" + escape_like(t.lower()) + "%", escape="\\") for t in terms]
        rows = conn.execute(
            select(versions.c.article_id, versions.c.text)
            .join(articles, articles.c.current_version_id == versions.c.id)
            .where(and_(*conditions, *narrow))
            .order_by(desc(articles.c.published), versions.c.id)
            .limit(limit)
            .offset(offset)
        ).all()
        snippets = {row.article_id: _snippet(row.text, terms) for row in rows}
        order = [row.article_id for row in rows]
    refs = {r.id: r for r in article_refs(conn, articles.c.id.in_(order))} if order else {}
    return [SearchHit(refs[i], snippets[i]) for i in order if i in refs]


def list_errors(conn: Connection, *, limit: int | None = None) -> list[ErrorRecord]:
    """Documents that failed, most recent first."""
    query = select(errors).order_by(desc(errors.c.last_seen), desc(errors.c.id))
    if limit:
        query = query.limit(limit)
    return [ErrorRecord(r.id, r.source, r.document, r.reason, r.first_seen, r.last_seen, r.count) for r in conn.execute(query)]


def claim_group_views(conn: Connection, group_ids: list[int]) -> list[ClaimGroupView]:
    """Claim groups in the order given, each with its claims and its support expanded into lists."""
    if not group_ids:
        return []
    group_rows = {
        g.id: g
        for g in conn.execute(
            select(claim_groups, stories.c.title.label("story_title"))
            .join(stories, stories.c.id == claim_groups.c.story_id)
            .where(claim_groups.c.id.in_(group_ids))
        )
    }
    denial_groups = conn.execute(
        select(claim_groups.c.id, claim_groups.c.denies_group_id).where(claim_groups.c.denies_group_id.in_(group_ids))
    ).all()
    wanted = set(group_ids) | {g.id for g in denial_groups}
    members = _claims_of_groups(conn, sorted(wanted))
    article_ids = sorted({c.article_id for cs in members.values() for c in cs})
    origin_of = {
        r.id: (r.origin_key, r.origin_name)
        for r in conn.execute(
            select(articles.c.id, articles.c.origin_key, articles.c.origin_name).where(articles.c.id.in_(article_ids))
        )
    }
    denials_of: dict[int, list[ClaimView]] = defaultdict(list)
    for denial in denial_groups:
        denials_of[denial.denies_group_id].extend(members.get(denial.id, []))
    views = []
    for gid in group_ids:
        row = group_rows.get(gid)
        if row is None:
            continue
        group_claims = members.get(gid, [])
        views.append(
            ClaimGroupView(
                id=gid,
                story_id=row.story_id,
                story_title=row.story_title,
                stance=row.stance,
                content=row.content,
                denies_group_id=row.denies_group_id,
                support=_support(group_claims, origin_of, denials_of.get(gid, [])),
                claims=group_claims,
            )
        )
    return views


def _support(group_claims: list[ClaimView], origin_of: dict, denials: list[ClaimView]) -> Support:
    speakers: dict[str, list[int]] = defaultdict(list)
    names: dict[str, str] = {}
    origins: dict[str, list[int]] = defaultdict(list)
    origin_names: dict[str, str] = {}
    article_ids: list[int] = []
    for claim in group_claims:
        if claim.speaker_key:
            key = claim.speaker_key.lower()
            speakers[key].append(claim.id)
            names.setdefault(key, claim.speaker_key)
        if claim.article_id not in article_ids:
            article_ids.append(claim.article_id)
            origin_key, origin_name = origin_of.get(claim.article_id, (None, None))
            if origin_key:
                origins[origin_key].append(claim.article_id)
                origin_names[origin_key] = origin_name
    return Support(
        speakers=[SpeakerSupport(names[k], ids) for k, ids in sorted(speakers.items(), key=lambda i: (-len(i[1]), i[0]))],
        origins=[
            OriginSupport(Origin(k, origin_names[k]), ids) for k, ids in sorted(origins.items(), key=lambda i: (-len(i[1]), i[0]))
        ],
        articles=article_ids,
        denials=denials,
    )


def _claims_of_groups(conn: Connection, group_ids: list[int]) -> dict[int, list[ClaimView]]:
    rows = conn.execute(
        select(claims, articles.c.title.label("article_title"), articles.c.outlet)
        .join(articles, articles.c.id == claims.c.article_id)
        .where(claims.c.claim_group_id.in_(group_ids))
        .order_by(claims.c.id)
    )
    found: dict[int, list[ClaimView]] = defaultdict(list)
    for r in rows:
        found[r.claim_group_id].append(claim_view(r))
    return found


def claim_view(r) -> ClaimView:
    """A claim row joined with its article's title and outlet, as a ClaimView."""
    return ClaimView(
        id=r.id,
        article_id=r.article_id,
        article_title=r.article_title,
        outlet=r.outlet,
        speaker=r.speaker,
        speaker_resolved=r.speaker_resolved,
        speaker_kind=r.speaker_kind,
        speaker_key=r.speaker_key,
        cue=r.cue,
        content=r.content,
        quote=r.quote,
        stance=r.stance,
        hedge=r.hedge,
        certainty=r.certainty,
        span=(r.span_start, r.span_end),
        content_span=(r.content_start, r.content_end),
    )


def article_refs(conn: Connection, condition, *, order=None, limit: int | None = None, offset: int = 0) -> list[ArticleRef]:
    """Articles matching ``condition`` with their origin and copy group (by id unless ``order`` is given)."""
    rows = conn.execute(
        select(
            articles.c.id,
            articles.c.title,
            articles.c.url,
            articles.c.path,
            articles.c.outlet,
            articles.c.published,
            articles.c.first_seen,
            articles.c.story_id,
            articles.c.copy_group_id,
            articles.c.origin_key,
            articles.c.origin_name,
            versions.c.agency,
            versions.c.partial,
            copy_groups.c.size,
            copy_groups.c.origin_article_id,
        )
        .join(versions, versions.c.id == articles.c.current_version_id)
        .outerjoin(copy_groups, copy_groups.c.id == articles.c.copy_group_id)
        .where(condition)
        .order_by(*(order if order is not None else [articles.c.id]))
        .limit(limit)
        .offset(offset)
    )
    return [
        ArticleRef(
            id=r.id,
            title=r.title,
            url=r.url,
            path=r.path,
            outlet=r.outlet,
            published=r.published,
            first_seen=r.first_seen,
            story_id=r.story_id,
            copy_group_id=r.copy_group_id,
            copy_group_size=r.size or 1,
            is_copy_origin=(r.origin_article_id or r.id) == r.id,
            origin=Origin(r.origin_key, r.origin_name) if r.origin_key else None,
            agency=r.agency,
            partial=r.partial,
        )
        for r in rows
    ]


def matching_claims(conn: Connection, about: str):
    """A subquery of the ids of current claims whose speaker or content matches, or None."""
    terms = _query_terms(about)
    if not terms:
        return None
    if conn.dialect.name == "sqlite":
        match = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
        return select(text("rowid")).select_from(text("claims_fts")).where(text("claims_fts MATCH :m").bindparams(m=match))
    haystack = func.lower(func.coalesce(claims.c.speaker_resolved, claims.c.speaker, "") + " " + claims.c.content)
    return select(claims.c.id).where(
        and_(*[haystack.like("%" + escape_like(t.lower()) + "%", escape="\\") for t in terms]),
        claims.c.claim_group_id.is_not(None),
    )


def _summary(row) -> StorySummary:
    return StorySummary(
        id=row.id,
        title=row.title,
        first_seen=row.first_seen,
        last_seen=row.last_seen,
        articles=row.articles,
        outlets=row.outlets,
        origins=row.origins,
        claim_groups=row.claim_groups,
    )


# A search whose rarest word is in more articles than this lists the newest first instead of
# ranking: BM25 scores every match (0.4 s for "the" at 100,000 articles, 2 ms newest-first), and
# a ranking by words that nearly every article has says little.
RANKED_SEARCH_MAX_DOCS = 20_000


def _too_common_to_rank(conn: Connection, terms: list[str]) -> bool:
    """Whether every word of the query is in more than ``RANKED_SEARCH_MAX_DOCS`` articles (SQLite:
    document counts from an fts5vocab view of the index, made per connection)."""
    conn.exec_driver_sql("CREATE VIRTUAL TABLE IF NOT EXISTS temp.versions_fts_vocab USING fts5vocab(main, 'versions_fts', 'row')")
    words = {word for term in terms for word in re.findall(r"\w+", term.lower())}
    counts = [conn.exec_driver_sql("SELECT doc FROM temp.versions_fts_vocab WHERE term = ?", (word,)).scalar() or 0 for word in words]
    return bool(counts) and min(counts) > RANKED_SEARCH_MAX_DOCS


def _query_terms(query: str) -> list[str]:
    return [phrase or word for phrase, word in _QUERY_TERM.findall(query) if (phrase or word).strip()]


def escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _snippet(body: str, terms: list[str], width: int = 80) -> str:
    lower = body.lower()
    hits = [lower.find(t.lower()) for t in terms]
    start = min((h for h in hits if h >= 0), default=0)
    left = max(0, start - width // 2)
    return ("…" if left else "") + body[left : left + width].replace("\n", " ") + ("…" if left + width < len(body) else "")


__all__ = [
    "article_refs",
    "claim_group_views",
    "claim_view",
    "escape_like",
    "matching_claims",
    "count_stories",
    "find_claim_groups",
    "get_story",
    "list_errors",
    "list_stories",
    "search_articles",
]
