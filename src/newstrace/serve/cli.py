"""The ``newstrace`` command line (Typer). Thin: each command calls library functions."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from newstrace.model import Analysis, NewstraceError
from newstrace.pipeline import read_article
from newstrace.serve.cli_train import train_app
from newstrace.sources import iter_pages

app = typer.Typer(
    name="newstrace",
    help="Read the news like an analyst: the real article, its origin, who claims what.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(train_app)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

PagesArg = Annotated[list[str], typer.Argument(help="HTML or text files, folders, '-' for standard input, or http(s) URLs.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the analysis record (JSON, one line per page).")]


@app.callback()
def root() -> None:
    """newstrace turns news pages into a traceable record of who claims what."""


def report_error(error: NewstraceError) -> None:
    err.print(f"[red]newstrace:[/red] {escape(str(error))}", soft_wrap=True)


def print_json(record: dict) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def print_article(analysis: Analysis) -> None:
    article, origin = analysis.article, analysis.origin
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold cyan")
    facts.add_column()
    facts.add_row("byline", escape(", ".join(article.bylines) or "—"))
    facts.add_row("published", escape(article.published or "unknown"))
    facts.add_row("site", escape(article.site_name or "—"))
    facts.add_row("language", escape(article.language or "—"))
    if origin.agency:
        who = f"{origin.agency} wire"
        if origin.republished_by:
            who += f", republished by {origin.republished_by}"
        if origin.byline_is_reporter is False:
            who += "; the byline is the republisher's, not the reporter's"
        facts.add_row("origin", escape(who))
        facts.add_row("evidence", escape("; ".join(origin.evidence)))
    else:
        facts.add_row("origin", escape(origin.republished_by or article.site_name or "unknown") + " (no wire credit found)")
    source = article.url or article.path or ""
    out.print(Panel(facts, title=f"[bold]{escape(article.title or '(untitled)')}[/bold]", subtitle=escape(source)))
    for paragraph, text in zip(article.paragraphs, article.paragraph_texts()):
        out.print(f"[bold]{escape(text)}[/bold]" if paragraph.kind == "subhead" else escape(text))
        out.print()


@app.command()
def extract(pages: PagesArg, as_json: JsonOpt = False) -> None:
    """The real article of each page: title, byline, date, site, origin, clean text."""
    failures = 0
    for item in iter_pages(pages):
        try:
            if isinstance(item, NewstraceError):
                raise item
            analysis = read_article(item)
        except NewstraceError as error:
            failures += 1
            report_error(error)
            continue
        if as_json:
            print_json(analysis.to_record())
        else:
            print_article(analysis)
    if failures:
        raise typer.Exit(code=1)


def main() -> None:
    app()
