"""The table of wire agencies (``data/agencies.csv``) and the patterns that find them in text."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files


@dataclass(frozen=True, slots=True)
class Agency:
    code: str
    name: str
    aliases: tuple[str, ...]
    sign_off: str  # "initials" (AFP desk initials), "reporting" (Reuters credits) or ""


@lru_cache(maxsize=1)
def agencies() -> tuple[Agency, ...]:
    table = files("newstrace.data").joinpath("agencies.csv").read_text(encoding="utf-8")
    return tuple(
        Agency(row["code"], row["name"], tuple(a for a in row["aliases"].split("|") if a), row["sign_off"])
        for row in csv.DictReader(table.splitlines())
    )


@lru_cache(maxsize=1)
def alias_index() -> dict[str, Agency]:
    """Every alias, case-folded, to its agency."""
    return {alias.casefold(): agency for agency in agencies() for alias in agency.aliases}


@lru_cache(maxsize=1)
def alias_pattern() -> str:
    """A regex alternation of all aliases, longest first, matched case-sensitively as written."""
    names = sorted({a for agency in agencies() for a in agency.aliases}, key=len, reverse=True)
    return "|".join(re.escape(n) for n in names)


def lookup(alias: str) -> Agency | None:
    return alias_index().get(alias.strip().casefold())
