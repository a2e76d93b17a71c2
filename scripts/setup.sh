#!/usr/bin/env bash
# Set up newstrace in ./.venv from the pinned lock file.
#   scripts/setup.sh          the tool itself
#   scripts/setup.sh --train  also what `newstrace train attribution` needs (torch, CPU build)
#   scripts/setup.sh --test   also what the test suite needs: test packages, Chromium, PostgreSQL,
#                             and the train extra where it installs (else the training tests skip)
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check uv==0.13.8
.venv/bin/python -m uv pip install -q --python .venv/bin/python --require-hashes -r requirements.lock
.venv/bin/python -m uv pip install -q --python .venv/bin/python --no-deps -e .

if [[ "${1:-}" == "--train" || "${1:-}" == "--test" ]]; then
    # pip, not uv: torch 2.13.0's CPU build is a wheel on these machines' local disk, which pip's
    # configuration finds and uv does not look at; the registries hold only CUDA builds.
    if ! .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[train]"; then
        [[ "${1:-}" == "--train" ]] && exit 1
        echo "setup.sh: the train extra did not install; the tests that train a model will skip" >&2
    fi
fi

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
