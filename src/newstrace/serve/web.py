"""The web reader and JSON API (FastAPI, server-rendered Jinja2 pages).

Thin, like the CLI: every page and endpoint calls the store's query functions or the per-document
pipeline. Every page's data is also reachable as JSON under ``/api``. All text from news pages is
untrusted: templates autoescape it, and nothing from a page is ever marked safe.
"""


import hmac
import ipaddress
from datetime import UTC, date, datetime
from importlib.resources import files
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Form, HTTPException, Query, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BeforeValidator, Field
from sqlalchemy import Connection, Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from newstrace.config import Settings, settings as default_settings
from newstrace.model import Analysis, Document, NewstraceError
from newstrace.pipeline import analyze
from newstrace.serve import apidocs
from newstrace.serve.chart import coverage
from newstrace.serve.highlight import anchored_claims, paragraphs_with_claims, snippet_hits, speaker_palette
from newstrace.sources.fetch import fetch_url
from newstrace.store import open_store
from newstrace.store import browse, queries

PAGE_SIZE = 20
PAGE_POLICY = (
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
MAX_PASTE_CHARS = 2_000_000


def _is_loopback(host: str) -> bool:
    # An empty host listens on every interface: not loopback.
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def create_app(
    engine: Engine | None = None,
    *,
    config: Settings | None = None,
    host: str = "127.0.0.1",
    add_token: str | None = None,
) -> FastAPI:
    """The application over one store.

    The Add page analyzes pasted pages and fetches URLs on the server: it is open when the server
    listens on loopback only; beyond loopback it needs ``add_token`` (and is off without one).
    """
    config = config or default_settings()
    engine = engine or open_store(config=config)
    add_open = _is_loopback(host)
    app = FastAPI(
        title="newstrace",
        summary="Who claims what in the news, how sure they are, and where the text came from.",
        version="1",
        # The API reference is served by this app (apidocs.py): Swagger UI would load from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    package = files("newstrace.serve")
    app.mount("/static", StaticFiles(directory=str(package.joinpath("static"))), name="static")
    templates = Jinja2Templates(directory=str(package.joinpath("templates")))
    templates.env.filters["hits"] = snippet_hits

    def connection():
        with engine.connect() as conn:
            yield conn

    Db = Annotated[Connection, Depends(connection)]

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status)

    def article_context(conn: Connection, article_id: int) -> dict[str, Any]:
        view = browse.get_article(conn, article_id)
        if view is None:
            raise HTTPException(404, f"no article {article_id}")
        return {"view": view, **_reading(view.analysis, entity_links=True)}

    def may_add(token: str | None) -> bool:
        if add_open:
            return True
        return bool(add_token and token and hmac.compare_digest(add_token, token))

    # ----- pages -----------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def front_page(request: Request, conn: Db, page_number: Annotated[int, Query(alias="page", ge=1)] = 1):
        offset = (page_number - 1) * PAGE_SIZE
        stories = queries.list_stories(conn, limit=PAGE_SIZE, offset=offset)
        return page(
            request,
            "front.html",
            stories=stories,
            sources=browse.story_sources(conn, [s.id for s in stories]),
            top_claims=browse.top_claim_groups(conn, [s.id for s in stories], per_story=2),
            recent=browse.recent_articles(conn, limit=PAGE_SIZE),
            page_number=page_number,
            has_more=queries.count_stories(conn) > offset + PAGE_SIZE,
        )

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_page(request: Request):
        schema = app.openapi()
        return page(request, "api.html", endpoints=apidocs.endpoints(schema), openapi_version=schema.get("openapi", ""))

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: int, conn: Db):
        return page(request, "article.html", **article_context(conn, article_id))

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: int, conn: Db):
        story = queries.get_story(conn, story_id)
        if story is None:
            raise HTTPException(404, f"no story {story_id}")
        return page(request, "story.html", story=story, coverage=coverage(story.articles))

    @app.get("/entities/{name}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, name: str, conn: Db):
        entity = browse.get_entity(conn, name)
        if entity is None:
            raise HTTPException(404, f"no entity {name!r}")
        return page(request, "entity.html", entity=entity)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request,
        conn: Db,
        filters: Annotated[browse.ClaimFilters, Depends(claim_filters)],
        page_number: Annotated[int, Query(alias="page", ge=1)] = 1,
    ):
        offset = (page_number - 1) * PAGE_SIZE
        articles = _search_articles(conn, filters, PAGE_SIZE, offset)
        claims = browse.search_claims(conn, filters, limit=PAGE_SIZE, offset=offset) if filters.any() else []
        return page(
            request,
            "search.html",
            query=filters.q or "",
            filters=filters,
            articles=articles,
            claims=claims,
            outlets=browse.list_outlets(conn),
            page_number=page_number,
            has_more=PAGE_SIZE in (len(articles), len(claims)),
        )

    @app.get("/add", response_class=HTMLResponse, include_in_schema=False)
    def add_page(request: Request):
        return page(request, "add.html", add_open=add_open, add_enabled=add_open or bool(add_token))

    @app.post("/add", response_class=HTMLResponse, include_in_schema=False)
    def add_submit(
        request: Request,
        url: Annotated[str, Form()] = "",
        content: Annotated[str, Form()] = "",
        token: Annotated[str | None, Form()] = None,
    ):
        if not may_add(token):
            return page(request, "add.html", status=403, add_open=add_open, add_enabled=bool(add_token),
                        error="Adding pages needs the server's token when it listens beyond loopback.")
        try:
            analysis = _analyze_submission(url, content, config)
        except NewstraceError as error:
            return page(request, "add.html", status=422, add_open=add_open, add_enabled=True, error=str(error),
                        url=url, content=content)
        return page(request, "analysis.html", **_reading(analysis, entity_links=False))

    # ----- API -------------------------------------------------------------------------------

    @app.get("/api/stories", tags=["stories"])
    def api_stories(conn: Db, limit: Annotated[int, Query(ge=1, le=200)] = PAGE_SIZE, offset: Annotated[int, Query(ge=0)] = 0):
        """Recent stories, newest first: title, time span, articles, outlets and independent origins
        (counts and names), and the best-supported claim groups (as on the front page)."""
        stories = queries.list_stories(conn, limit=limit, offset=offset)
        ids = [s.id for s in stories]
        sources = browse.story_sources(conn, ids)
        top = browse.top_claim_groups(conn, ids, per_story=2)
        return {
            "total": queries.count_stories(conn),
            "limit": limit,
            "offset": offset,
            "items": [
                {
                    **s.to_json(),
                    **(sources[s.id].to_json() if s.id in sources else {"outlet_names": [], "origin_names": []}),
                    "top_claim_groups": [_group_summary(g) for g in top.get(s.id, [])],
                }
                for s in stories
            ],
        }

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def api_story(story_id: int, conn: Db):
        """A story: its articles with origins and copy groups, and its claim groups with support and denials."""
        story = queries.get_story(conn, story_id)
        if story is None:
            raise HTTPException(404, f"no story {story_id}")
        return story.to_json()

    @app.get("/api/articles", tags=["articles"])
    def api_articles(conn: Db, limit: Annotated[int, Query(ge=1, le=200)] = PAGE_SIZE, offset: Annotated[int, Query(ge=0)] = 0):
        """Articles, most recently seen first."""
        return {
            "total": browse.count_articles(conn),
            "limit": limit,
            "offset": offset,
            "items": [a.to_json() for a in browse.recent_articles(conn, limit=limit, offset=offset)],
        }

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def api_article(article_id: int, conn: Db):
        """An article: its analysis record (schema newstrace.analysis/1), copies and related articles."""
        view = browse.get_article(conn, article_id)
        if view is None:
            raise HTTPException(404, f"no article {article_id}")
        return view.to_json()

    @app.get("/api/articles/{article_id}/analysis", tags=["articles"])
    def api_article_analysis(article_id: int, conn: Db):
        """The analysis record alone, exactly as ``newstrace analyze --json`` prints it."""
        view = browse.get_article(conn, article_id)
        if view is None:
            raise HTTPException(404, f"no article {article_id}")
        return view.analysis.to_record()

    @app.get("/api/claim-groups", tags=["claims"])
    def api_claim_groups(
        conn: Db,
        about: Annotated[str, Query(min_length=1)],
        limit: Annotated[int, Query(ge=1, le=200)] = PAGE_SIZE,
        offset: Annotated[int, Query(ge=0)] = 0,
    ):
        """Claim groups with a claim whose speaker or content matches ``about``, strongest independent support first."""
        return {
            "limit": limit,
            "offset": offset,
            "items": [g.to_json() for g in queries.find_claim_groups(conn, about, limit=limit, offset=offset)],
        }

    @app.get("/api/entities/{name}", tags=["entities"])
    def api_entity(name: str, conn: Db):
        """An entity: kind, roles, aliases, its claims as speaker and the claims about it."""
        entity = browse.get_entity(conn, name)
        if entity is None:
            raise HTTPException(404, f"no entity {name!r}")
        return entity.to_json()

    @app.get("/api/search", tags=["search"])
    def api_search(
        conn: Db,
        filters: Annotated[browse.ClaimFilters, Depends(claim_filters)],
        limit: Annotated[int, Query(ge=1, le=200)] = PAGE_SIZE,
        offset: Annotated[int, Query(ge=0)] = 0,
    ):
        """Full-text search over articles (best match first), and claims (newest first) filtered by
        date, outlet, speaker, stance and certainty; ``limit`` and ``offset`` page both lists."""
        return {
            "limit": limit,
            "offset": offset,
            "articles": [h.to_json() for h in _search_articles(conn, filters, limit, offset)],
            "claims": [c.to_json() for c in browse.search_claims(conn, filters, limit=limit, offset=offset)] if filters.any() else [],
        }

    @app.post("/api/analyze", tags=["analyze"])
    def api_analyze(
        request: Request,
        url: Annotated[str, Form()] = "",
        content: Annotated[str, Form()] = "",
        token: Annotated[str | None, Form()] = None,
    ):
        """Analyze a pasted page (HTML or text) or a URL on the spot; returns its analysis record."""
        if not may_add(token):
            raise HTTPException(403, "adding pages needs the server's token when it listens beyond loopback")
        try:
            return _analyze_submission(url, content, config).to_record()
        except NewstraceError as error:
            return JSONResponse({"error": str(error), "document": error.document, "reason": error.reason}, status_code=422)

    @app.middleware("http")
    async def page_headers(request: Request, call_next):
        response = await call_next(request)
        # The reader's pages run no script: a policy that forbids scripts outright backs up the
        # escaping of untrusted text.
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return page(request, "error.html", status=exc.status_code, message=exc.detail, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        if request.url.path.startswith("/api/"):  # the shape OpenAPI documents
            return await request_validation_exception_handler(request, exc)
        message = "; ".join(f"{error['loc'][-1]}: {error['msg']}" for error in exc.errors())
        return page(request, "error.html", status=422, message=f"Invalid request: {message}", status_code=422)

    return app


def _blank_is_none(value: Any) -> Any:
    # The search form sends every field; an empty one means "any".
    return None if isinstance(value, str) and not value.strip() else value


Blank = BeforeValidator(_blank_is_none)
Certainty = Annotated[float, Field(ge=0, le=1)]


def claim_filters(
    q: Annotated[str | None, Blank, Query(description="Words (phrases in quotes) in an article's title or text, or a claim's speaker or content")] = None,
    since: Annotated[date | None, Blank, Query(description="Published on or after (YYYY-MM-DD)")] = None,
    until: Annotated[date | None, Blank, Query(description="Published on or before (YYYY-MM-DD)")] = None,
    outlet: Annotated[str | None, Blank, Query(description="Outlet name, exactly as listed")] = None,
    speaker: Annotated[str | None, Blank, Query(description="Words of the speaker's name, or their beginnings (claims only)")] = None,
    stance: Annotated[Literal["assert", "deny"] | None, Blank, Query(description="Claims only")] = None,
    min_certainty: Annotated[Certainty | None, Blank, Query(description="Claims only")] = None,
    max_certainty: Annotated[Certainty | None, Blank, Query(description="Claims only")] = None,
) -> browse.ClaimFilters:
    """The search filters from the query string."""
    return browse.ClaimFilters(q, since, until, outlet, speaker, stance, min_certainty, max_certainty)


def _search_articles(conn: Connection, filters: browse.ClaimFilters, limit: int, offset: int = 0):
    if not filters.q:
        return []
    return queries.search_articles(
        conn, filters.q, limit=limit, offset=offset, outlet=filters.outlet,
        since=filters.since.isoformat() if filters.since else None,
        until=filters.until.isoformat() if filters.until else None,
    )


def _group_summary(group) -> dict[str, Any]:
    """A claim group in brief: what is claimed, by whom first, and its support counts."""
    first = group.claims[0] if group.claims else None
    return {
        "id": group.id,
        "content": group.content,
        "stance": group.stance,
        "speaker": (first.speaker_resolved or first.speaker) if first else None,
        "speakers": len(group.support.speakers),
        "independent_origins": len(group.support.origins),
        "articles": len(group.support.articles),
        "denials": len(group.support.denials),
    }


def _reading(analysis: Analysis, *, entity_links: bool) -> dict[str, Any]:
    """What the article body template needs: the text cut at claims, colours, highlight anchors."""
    paragraphs = paragraphs_with_claims(analysis)
    return {
        "analysis": analysis,
        "paragraphs": paragraphs,
        "anchored": anchored_claims(paragraphs),
        "palette": speaker_palette(analysis),
        "entity_links": entity_links,
    }


def _analyze_submission(url: str, content: str, config: Settings) -> Analysis:
    url, content = url.strip(), content.strip()
    if content:
        if len(content) > MAX_PASTE_CHARS:
            raise NewstraceError("pasted page", f"over {MAX_PASTE_CHARS} characters")
        document = Document(content=content, url=url or None, path=None if url else "pasted page",
                            fetched_at=datetime.now(UTC), source_name="pasted")
    elif url:
        document = fetch_url(url, config=config)
    else:
        raise NewstraceError("form", "paste a page or give a URL")
    return analyze(document)
