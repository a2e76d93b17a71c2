"""The ``extract`` command end to end, including bad input in a batch."""

from __future__ import annotations

import json
import subprocess
import sys

from newstrace.model import SCHEMA

from conftest import SAMPLES


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newstrace", *args], input=stdin, capture_output=True, timeout=120
    )


def test_extract_json_record_has_the_contract_keys():
    result = run_cli("extract", str(SAMPLES / "harbour-wire-republished.txt"), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["schema"] == SCHEMA
    for key in ("source", "title", "bylines", "published", "site_name", "language", "text", "origin", "entities", "claims"):
        assert key in record
    assert record["title"] == "Ferry operator halts Baltic crossings after engine fire: officials"


def test_bad_pages_are_reported_and_the_good_one_still_comes_out(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    binary = tmp_path / "image.html"
    binary.write_bytes(bytes(range(256)) * 20)
    missing = tmp_path / "missing.txt"
    good = SAMPLES / "harbour-wire-republished.txt"
    result = run_cli("extract", str(empty), str(binary), str(missing), str(good), "--json")
    assert result.returncode != 0
    lines = result.stdout.decode().strip().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["title"].startswith("Ferry operator")
    errors = result.stderr.decode().strip().splitlines()
    assert len(errors) == 3
    assert "empty.html" in errors[0] and "empty" in errors[0]
    assert "image.html" in errors[1] and "binary" in errors[1]
    assert "missing.txt" in errors[2] and "no such file" in errors[2]


def test_standard_input_is_a_page():
    page = (SAMPLES / "harbour-wire-republished.txt").read_bytes()
    result = run_cli("extract", "-", "--json", stdin=page)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["source"]["path"] == "-"


def test_unreachable_url_is_a_one_line_error():
    # Port 9 on loopback: nothing listens; private addresses must be allowed for the attempt.
    result = subprocess.run(
        [sys.executable, "-m", "newstrace", "extract", "http://127.0.0.1:9/story.html"],
        capture_output=True,
        timeout=60,
        env={**__import__("os").environ, "NEWSTRACE_FETCH_ALLOW_PRIVATE": "1", "NEWSTRACE_FETCH_TIMEOUT_S": "3"},
    )
    assert result.returncode != 0
    error = result.stderr.decode().strip()
    assert error.count("\n") == 0 and "127.0.0.1:9" in error and "connect" in error


def test_private_addresses_are_refused_by_default():
    result = run_cli("extract", "http://127.0.0.1:9/story.html")
    assert result.returncode != 0
    assert "private address" in result.stderr.decode()
