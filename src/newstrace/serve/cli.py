"""The ``newstrace`` command line (Typer). Thin: each command calls library functions."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from newstrace.model import Analysis, NewstraceError
from newstrace.pipeline import analyze_many, read_many
from newstrace.serve.cli_train import train_app
from newstrace.sources import iter_pages

app = typer.Typer(
    name="newstrace",
    help="Read the news like an analyst: the real article, its origin, who claims what.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
eval_app = typer.Typer(help="Score newstrace against annotated corpora.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
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


def print_claims(analysis: Analysis) -> None:
    if not analysis.claims:
        out.print("[dim]No attributed claims found.[/dim]")
        return
    table = Table(title=f"Claims ({len(analysis.claims)})", show_lines=True)
    for column in ("speaker", "cue", "quote", "stance", "certainty", "content"):
        table.add_column(column, overflow="fold")
    for claim in analysis.claims:
        speaker = escape(claim.speaker_resolved or claim.speaker or "—")
        if claim.speaker and claim.speaker_resolved and claim.speaker != claim.speaker_resolved:
            speaker += f"\n[dim]written: {escape(claim.speaker)}[/dim]"
        about = claim.speaker_kind or "unknown"
        if claim.speaker_role:
            about += f", {claim.speaker_role}"
        speaker += f"\n[dim]{escape(about)}[/dim]"
        cue = escape(claim.cue) if claim.cue else "[dim](continues)[/dim]"
        certainty = f"{claim.certainty:.2f}" + (f"\n[dim]{escape(claim.hedge)}[/dim]" if claim.hedge else "")
        stance = "[red]deny[/red]" if claim.stance == "deny" else claim.stance
        table.add_row(speaker, cue, claim.quote, stance, certainty, escape(claim.content))
    out.print(table)


def _run(results: Iterable[Analysis | NewstraceError], show, as_json: bool) -> None:
    failures = 0
    for result in results:
        if isinstance(result, NewstraceError):
            failures += 1
            report_error(result)
        elif as_json:
            print_json(result.to_record())
        else:
            show(result)
    if failures:
        raise typer.Exit(code=1)


@app.command()
def extract(pages: PagesArg, as_json: JsonOpt = False) -> None:
    """The real article of each page: title, byline, date, site, origin, clean text."""
    _run(read_many(iter_pages(pages)), print_article, as_json)


NoModelOpt = Annotated[
    bool, typer.Option("--no-model", help="Find attributions with the rules alone, without the trained model.")
]


@app.command()
def analyze(pages: PagesArg, as_json: JsonOpt = False, no_model: NoModelOpt = False) -> None:
    """Each page read in full: the article, its origin, and who claims what, how sure."""

    def show(analysis: Analysis) -> None:
        print_article(analysis)
        print_claims(analysis)

    _run(analyze_many(iter_pages(pages), use_model=False if no_model else None), show, as_json)


@eval_app.command("attribution")
def eval_attribution(
    gold: Annotated[Path, typer.Argument(help="PolNeAR-format JSON Lines; only each record's id and text are read.")],
    out_path: Annotated[Path, typer.Option("--out", help="Where to write the predictions (JSON Lines).")],
    no_model: NoModelOpt = False,
) -> None:
    """Predict attributions for a PolNeAR-format file, in the format of score_attribution.py."""
    from newstrace.claims.model import default_span_finder
    from newstrace.claims.polnear import predict_file

    try:
        count = predict_file(gold, out_path, default_span_finder(False if no_model else None))
    except (NewstraceError, OSError) as error:
        err.print(f"[red]newstrace:[/red] {escape(str(error))}", soft_wrap=True)
        raise typer.Exit(code=1) from error
    err.print(f"{count} articles → {escape(str(out_path))}")


def main() -> None:
    app()


# The corpus commands (ingest, stories, story, claims, search, errors, export, link) and `serve` register on ``app``.
from newstrace.serve import cli_corpus  # noqa: E402, F401
from newstrace.serve import cli_web  # noqa: E402, F401
