"""Corpus commands of the ``newstrace`` CLI: ingest, stories, story, claims, search, errors,
export, link. Thin: each calls ``newstrace.ingest``, ``newstrace.link`` or ``newstrace.store``."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Connection, Engine

from newstrace.ingest import IngestEvent, ingest, link_if_needed
from newstrace.model import NewstraceError
from newstrace.serve.cli import app, err, out, report_error
from newstrace.store import open_store, queries
from newstrace.store.export import export as export_rows
from newstrace.store.records import ClaimGroupView, StoryDetail

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="SQLAlchemy URL of the store (default: SQLite in the data directory; setting NEWSTRACE_DB_URL)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (shapes in docs/cli-json.md).")]
LimitOpt = Annotated[int, typer.Option("--limit", "-n", min=1, help="How many to show.")]


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class ExportWhat(str, Enum):
    articles = "articles"
    claims = "claims"
    stories = "stories"


def _open(db: str | None, *, create: bool = False) -> Engine:
    try:
        return open_store(db, create=create)
    except NewstraceError as error:
        report_error(error)
        raise typer.Exit(code=1) from error


@contextlib.contextmanager
def _reading(db: str | None) -> Iterator[Connection]:
    engine = _open(db)
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def _json(record: dict) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@app.command("ingest")
def ingest_command(
    sources: Annotated[
        list[str],
        typer.Argument(help="Files, folders, http(s) URLs, RSS/Atom feeds, OPML lists, WARC(.gz) archives, JSON Lines files."),
    ],
    db: DbOpt = None,
    no_link: Annotated[bool, typer.Option("--no-link", help="Store only; link later with `newstrace link`.")] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Analyse documents in this many processes (Dask).")] = 1,
) -> None:
    """Read documents into the store (idempotent, resumable), then link copies, stories and claims."""
    engine = _open(db, create=True)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.completed}[/bold] documents"),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
        TextColumn("[dim]{task.fields[current]}[/dim]"),
        console=err,
        transient=True,
    )
    counts = {"new": 0, "version": 0, "unchanged": 0, "skipped": 0, "failed": 0}

    def on_document(event: IngestEvent) -> None:
        counts[event.outcome] += 1
        shown = f"{counts['new']} new, {counts['version']} changed, {counts['failed']} failed"
        progress.update(task, advance=1, counts=shown, current=event.document[-60:])

    with progress:
        task = progress.add_task("ingest", total=None, counts="", current="")
        try:
            summary = ingest(sources, engine, on_document=on_document, run_link=False, workers=workers)
        except KeyboardInterrupt:
            err.print("[yellow]interrupted:[/yellow] what was stored is kept; run the same command again to resume.")
            raise typer.Exit(code=130) from None
    linked = None
    if not no_link:
        with err.status("linking copies, stories and claims…"):
            linked = link_if_needed(engine)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan")
    table.add_column(justify="right")
    table.add_row("documents", str(summary.documents))
    table.add_row("new articles", str(summary.new))
    table.add_row("new versions", str(summary.versions))
    table.add_row("unchanged", str(summary.unchanged))
    table.add_row("failed", f"[red]{summary.failed}[/red]" if summary.failed else "0")
    if linked:
        table.add_row("copy groups", str(linked.copy_groups))
        table.add_row("stories", str(linked.stories))
        table.add_row("claim groups", str(linked.claim_groups))
    table.add_row("seconds", f"{summary.seconds + (linked.seconds if linked else 0):.1f}")
    out.print(Panel(table, title="newstrace ingest", expand=False))
    if summary.failed:
        out.print(f"{summary.failed} document(s) failed; `newstrace errors` lists them with the reasons.")
    engine.dispose()


@app.command("link")
def link_command(db: DbOpt = None) -> None:
    """Recompute copy-group origins, stories and claim groups (after changing settings, or `ingest --no-link`)."""
    engine = _open(db)
    with err.status("linking copies, stories and claims…"):
        linked = link_if_needed(engine, force=True)
    out.print(f"{linked.copy_groups} copy groups, {linked.stories} stories, {linked.claim_groups} claim groups ({linked.seconds:.1f} s)")
    engine.dispose()


@app.command("stories")
def stories_command(db: DbOpt = None, limit: LimitOpt = 20, as_json: JsonOpt = False) -> None:
    """Recent stories: title, span of time, articles, outlets, independent origins."""
    with _reading(db) as conn:
        found = queries.list_stories(conn, limit=limit)
        total = queries.count_stories(conn)
    if as_json:
        _json({"schema": "newstrace.stories/1", "total": total, "stories": [s.to_json() for s in found]})
        return
    table = Table(title=f"{len(found)} of {total} stories, most recent first")
    for name, justify in (("id", "right"), ("title", "left"), ("span", "left"), ("articles", "right"), ("outlets", "right"), ("origins", "right"), ("claims", "right")):
        table.add_column(name, justify=justify)
    for s in found:
        span = s.first_seen if s.first_seen == s.last_seen else f"{s.first_seen} → {s.last_seen}"
        table.add_row(str(s.id), escape(s.title or "(untitled)"), span or "", str(s.articles), str(s.outlets), str(s.origins), str(s.claim_groups))
    out.print(table)


@app.command("story")
def story_command(story_id: Annotated[int, typer.Argument(help="A story id from `newstrace stories`.")], db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """One story: its articles with origins and copies, a timeline, and its claim groups with support."""
    with _reading(db) as conn:
        story = queries.get_story(conn, story_id)
    if story is None:
        report_error(NewstraceError(f"story {story_id}", "no such story"))
        raise typer.Exit(code=1)
    if as_json:
        _json(story.to_json())
        return
    _print_story(story)


@app.command("claims")
def claims_command(
    about: Annotated[str, typer.Option("--about", help="Words (or a \"phrase\") the claim's content or speaker must contain.")],
    db: DbOpt = None,
    limit: LimitOpt = 20,
    as_json: JsonOpt = False,
) -> None:
    """Claim groups matching a search, strongest support first."""
    with _reading(db) as conn:
        groups = queries.find_claim_groups(conn, about, limit=limit)
    if as_json:
        _json({"schema": "newstrace.claim-groups/1", "about": about, "claim_groups": [g.to_json() for g in groups]})
        return
    if not groups:
        out.print("No claim group matches.")
    for group in groups:
        _print_claim_group(group, with_story=True)


@app.command("search")
def search_command(query: Annotated[str, typer.Argument(help="Words (all must appear) or \"phrases\".")], db: DbOpt = None, limit: LimitOpt = 20, as_json: JsonOpt = False) -> None:
    """Full-text search over the articles."""
    with _reading(db) as conn:
        hits = queries.search_articles(conn, query, limit=limit)
    if as_json:
        _json({"schema": "newstrace.search/1", "query": query, "hits": [h.to_json() for h in hits]})
        return
    if not hits:
        out.print("No article matches.")
    for hit in hits:
        a = hit.article
        out.print(f"[bold]#{a.id}[/bold] {escape(a.title or '(untitled)')} [dim]— {escape(a.outlet)}, {a.published or 'undated'}, story {a.story_id}[/dim]")
        out.print(f"    {escape(hit.snippet)}")


@app.command("errors")
def errors_command(db: DbOpt = None, limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="How many to show (0: all).")] = 0, as_json: JsonOpt = False) -> None:
    """Documents that could not be ingested, and why."""
    with _reading(db) as conn:
        found = queries.list_errors(conn, limit=limit or None)
    if as_json:
        _json({"schema": "newstrace.errors/1", "errors": [e.to_json() for e in found]})
        return
    if not found:
        out.print("No errors recorded.")
        return
    table = Table(title=f"{len(found)} failed document(s)")
    table.add_column("document")
    table.add_column("reason")
    table.add_column("times", justify="right")
    table.add_column("last seen")
    for e in found:
        table.add_row(escape(e.document), escape(e.reason), str(e.count), e.last_seen.strftime("%Y-%m-%d %H:%M"))
    out.print(table)


@app.command("export")
def export_command(
    out_path: Annotated[Path, typer.Argument(metavar="OUT", help="The file to write.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="jsonl, csv or parquet.")] = ExportFormat.jsonl,
    what: Annotated[ExportWhat, typer.Option("--what", help="articles, claims or stories.")] = ExportWhat.articles,
    db: DbOpt = None,
) -> None:
    """Export articles, claims or stories as JSON Lines, CSV or Parquet."""
    with _reading(db) as conn:
        count = export_rows(conn, what.value, fmt.value, out_path)
    err.print(f"{count} {what.value} written to {out_path}")


def _print_story(story: StoryDetail) -> None:
    s = story.summary
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold cyan")
    head.add_column()
    head.add_row("span", f"{s.first_seen} → {s.last_seen}")
    head.add_row("articles", str(s.articles))
    head.add_row("outlets", str(s.outlets))
    head.add_row("independent origins", f"{s.origins}: " + escape("; ".join(f"{o.origin.name} ({len(o.articles)})" for o in story.origins)))
    head.add_row("claim groups", str(s.claim_groups))
    out.print(Panel(head, title=f"[bold]#{s.id} {escape(s.title or '(untitled)')}[/bold]", expand=False))
    timeline = Table(title="Timeline")
    for name in ("date", "#", "outlet", "title", "origin", "copy group"):
        timeline.add_column(name)
    for a in story.timeline():
        if a.copy_group_size > 1:
            copies = f"origin of {a.copy_group_size}" if a.is_copy_origin else f"copy (group {a.copy_group_id})"
        else:
            copies = "—"
        partial = " [yellow](partial)[/yellow]" if a.partial else ""
        timeline.add_row(
            a.published or "undated",
            str(a.id),
            escape(a.outlet),
            escape(a.title or "(untitled)") + partial,
            escape(a.origin.name if a.origin else "?"),
            copies,
        )
    out.print(timeline)
    for group in story.claim_groups:
        _print_claim_group(group, with_story=False)


def _print_claim_group(group: ClaimGroupView, *, with_story: bool) -> None:
    support = group.support
    stance = "[red]denial[/red]" if group.stance == "deny" else "claim"
    where = f" [dim](story #{group.story_id}: {escape(group.story_title or '')})[/dim]" if with_story else ""
    out.print(f"\n[bold]{stance} #{group.id}[/bold]{where}: “{escape(group.content)}”")
    origins = "; ".join(f"{o.origin.name} ({', '.join(f'#{a}' for a in o.articles)})" for o in support.origins)
    speakers = "; ".join(f"{s.name} ({len(s.claims)})" for s in support.speakers)
    out.print(f"  [cyan]{len(support.origins)} independent origin(s)[/cyan]: {escape(origins) or '—'}")
    out.print(f"  [cyan]{len(support.speakers)} speaker(s)[/cyan]: {escape(speakers) or '—'}")
    out.print(f"  [cyan]{len(support.articles)} article(s)[/cyan]: {', '.join(f'#{a}' for a in support.articles)}")
    if group.denies_group_id:
        out.print(f"  denies claim group #{group.denies_group_id}")
    if support.denials:
        out.print(f"  [red]{len(support.denials)} denial(s)[/red]:")
        for d in support.denials:
            out.print(f"    {escape(d.speaker_resolved or d.speaker or '?')} {escape(d.cue or '')}: “{escape(d.content)}” [dim]#{d.article_id} {escape(d.outlet)}[/dim]")
    for c in group.claims:
        out.print(f"    • {escape(c.speaker_resolved or c.speaker or '?')} {escape(c.cue or '')}: “{escape(c.content)}” [dim]#{c.article_id} {escape(c.outlet)}[/dim]")
