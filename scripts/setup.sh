#!/usr/bin/env bash
# Set up newstrace in ./.venv from the pinned lock file.
#   scripts/setup.sh          the tool itself
#   scripts/setup.sh --test   also what the test suite needs: test packages, Chromium, PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check uv==0.13.8
.venv/bin/python -m uv pip install -q --python .venv/bin/python --require-hashes -r requirements.lock
.venv/bin/python -m uv pip install -q --python .venv/bin/python --no-deps -e .

if [[ "${1:-}" == "--test" ]]; then
    # Browser tests drive Debian's Chromium (Playwright cannot download its own here);
    # store tests start their own PostgreSQL server.
    if ! command -v chromium >/dev/null || ! [ -x /usr/lib/postgresql/15/bin/initdb ]; then
        export DEBIAN_FRONTEND=noninteractive
        SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        $SUDO apt-get update -qq
        $SUDO apt-get install -y -qq chromium postgresql >/dev/null
    fi
fi
