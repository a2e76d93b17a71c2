"""``newstrace serve``: the web reader and JSON API over a store."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer

from newstrace.model import NewstraceError
from newstrace.serve.cli import app, err, report_error
from newstrace.serve.cli_corpus import DbOpt
from newstrace.store import open_store


@app.command("serve")
def serve_command(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on; beyond loopback the Add page needs a token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(help="Token for the Add page and /api/analyze when listening beyond loopback (env NEWSTRACE_ADD_TOKEN).")
    ] = None,
    new_token: Annotated[bool, typer.Option("--new-token", help="Make a random token and print it.")] = False,
) -> None:
    """Serve the web reader and the JSON API (OpenAPI docs at /docs)."""
    import uvicorn

    from newstrace.serve.web import create_app

    token = token or os.environ.get("NEWSTRACE_ADD_TOKEN")
    if new_token:
        token = secrets.token_urlsafe(18)
        err.print(f"Add-page token: {token}")
    try:
        engine = open_store(db)
    except NewstraceError as error:
        report_error(error)
        raise typer.Exit(code=1) from error
    err.print(f"newstrace reader on http://{host}:{port}/  (API docs at /docs)")
    uvicorn.run(create_app(engine, host=host, add_token=token), host=host, port=port, log_level="warning")
