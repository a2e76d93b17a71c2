"""A person's likely sex from their first name (data/first_names.csv, built by
scripts/make_name_table.py from US Social Security baby-name counts): evidence for "he" and
"she", used only where the text itself says nothing."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    with files("newstrace").joinpath("data", "first_names.csv").open(encoding="utf-8") as handle:
        return {row["name"]: row["sex"] for row in csv.DictReader(handle)}


def sex_from_first_name(full_name: str) -> str | None:
    """ "m", "f" or None for a full name ("Helen Ward" → "f"). A single word is no first name, and
    a hyphenated given name second ("Kim Yong-hyun") marks a family name written first."""
    words = full_name.split()
    if len(words) < 2 or "-" in words[1]:
        return None
    return _table().get(words[0].lower().strip(".,"))
