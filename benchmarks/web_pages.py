"""Web reader benchmark: page and API times on a large synthetic store, over real HTTP on loopback.

    PYTHONPATH=src python benchmarks/web_pages.py --size 100000 --workdir /tmp/newstrace-web
    PYTHONPATH=src python benchmarks/web_pages.py --db sqlite:///PATH/scale-100000.db   # reuse a store

The store is the scale benchmark's (benchmarks/synthetic.py's generator, the light analyzer, then a
full link), built once in ``--workdir`` as ``scale-SIZE.db`` and reused when it is there, so a
store left by benchmarks/scale.py serves too. ``newstrace serve`` runs in its own process; this
process requests every kind of page and API endpoint ``--rounds`` times, the kinds interleaved so
that the machine's load falls on all of them alike, and reports p50/p95/max per kind. The baseline,
measured in the same rounds, is a static file (the stylesheet): what HTTP, uvicorn and FastAPI cost
before any query runs. The target is a p95 under 200 ms for every page.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TARGET_MS = 200.0


def build_store(size: int, workdir: Path, seed: int) -> str:
    """The scale benchmark's store of ``size`` synthetic articles, built unless already there."""
    from newstrace.config import load_settings
    from newstrace.ingest import ingest, link_if_needed
    from newstrace.store import open_store
    from synthetic import light_analyze, write_jsonl

    database = workdir / f"scale-{size}.db"
    url = f"sqlite:///{database}"
    if database.exists():
        started = time.perf_counter()
        open_store(url).dispose()  # brings an older store's indexes up to date, before any timing
        print(f"reusing {database} (opened in {time.perf_counter() - started:.1f} s)", flush=True)
        return url
    source = workdir / f"synthetic-{size}.jsonl"
    started = time.perf_counter()
    write_jsonl(source, size, seed)
    engine = open_store(url)
    config = load_settings(fetch_feed_links=False)
    summary = ingest([str(source)], engine, analyze=light_analyze, config=config, run_link=False)
    ingested = time.perf_counter()
    link_if_needed(engine, config, force=True)
    print(
        f"built {database}: {summary.new} articles, ingest {ingested - started:.0f} s, link {time.perf_counter() - ingested:.0f} s",
        flush=True,
    )
    return url


def pick_requests(url: str, per_kind: int, seed: int) -> dict[str, list[str]]:
    """For each page kind, ``per_kind`` paths on real ids, names and words of the store."""
    from sqlalchemy import select

    from newstrace.store import open_store
    from newstrace.store.schema import articles, claims, stories

    rng = random.Random(seed)
    engine = open_store(url, create=False)
    with engine.connect() as conn:
        article_ids = conn.scalars(select(articles.c.id).order_by(articles.c.id)).all()
        story_ids = conn.scalars(select(stories.c.id).order_by(stories.c.id)).all()
        biggest = conn.scalars(select(stories.c.id).order_by(stories.c.articles.desc(), stories.c.claim_groups.desc()).limit(per_kind // 5)).all()
        claim_ids = conn.scalars(select(claims.c.id).order_by(claims.c.id)).all()
        speakers = conn.scalars(
            select(claims.c.speaker_resolved).where(claims.c.id.in_(rng.sample(claim_ids, min(per_kind * 4, len(claim_ids)))), claims.c.speaker_resolved.is_not(None))
        ).all()
        sampled = rng.sample(article_ids, min(200, len(article_ids)))
        titles = conn.scalars(select(articles.c.title).where(articles.c.id.in_(sampled))).all()
        outlets = conn.scalars(select(articles.c.outlet).where(articles.c.id.in_(sampled[:50]))).all()
    engine.dispose()
    article_count, story_count = len(article_ids), len(story_ids)
    words = [w for t in titles for w in (t or "").split()]
    names = [w for w in words if w[:1].isupper()]

    def some(values, count=per_kind):
        values = list(values)
        return [values[i % len(values)] for i in range(count)] if values else []

    articles_ = some(rng.sample(article_ids, min(per_kind, article_count)))
    # The biggest stories (the slowest pages) and a random rest.
    stories_ = some(list(biggest) + rng.sample(story_ids, min(per_kind - len(biggest), story_count)))
    speakers_ = some(speakers)
    one_word = [rng.choice(names) for _ in range(per_kind)]
    two_words = [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(per_kind)]
    return {
        "baseline: static file": ["/static/reader.css"] * per_kind,
        "front page": ["/"] * per_kind,
        "front page, later pages": [f"/?page={rng.randint(2, max(story_count // 20, 2))}" for _ in range(per_kind)],
        "story page": [f"/stories/{i}" for i in stories_],
        "article page": [f"/articles/{i}" for i in articles_],
        "entity page": [f"/entities/{quote(n)}" for n in speakers_],
        "search page (words)": [f"/search?q={quote(q)}" for q in some(one_word[: per_kind // 2] + two_words[: per_kind - per_kind // 2])],
        "search page (filters)": [
            f"/search?q={quote(one_word[i])}&stance=deny&outlet={quote(rng.choice(outlets))}" if i % 2
            else f"/search?speaker={quote(speakers_[i])}&min_certainty=0.5&since=2023-06-01&until=2024-06-30"
            for i in range(per_kind)
        ],
        "API stories": [f"/api/stories?offset={rng.randint(0, max(story_count - 20, 0))}" for _ in range(per_kind)],
        "API story": [f"/api/stories/{i}" for i in stories_],
        "API articles": [f"/api/articles?offset={rng.randint(0, max(article_count - 20, 0))}" for _ in range(per_kind)],
        "API article": [f"/api/articles/{i}" for i in articles_],
        "API analysis": [f"/api/articles/{i}/analysis" for i in articles_],
        "API entity": [f"/api/entities/{quote(n)}" for n in speakers_],
        "API search": [f"/api/search?q={quote(q)}" for q in two_words],
        "API claim groups": [f"/api/claim-groups?about={quote(q)}" for q in one_word],
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(url: str, port: int) -> subprocess.Popen:
    import httpx

    command = [sys.executable, "-m", "newstrace", "serve", "--db", url, "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped: {server.stderr.read().decode()}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/reader.css", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start within 60 s")


def measure(port: int, plan: dict[str, list[str]]) -> dict[str, dict]:
    import httpx

    samples: dict[str, list[float]] = {kind: [] for kind in plan}
    statuses: dict[str, dict[int, int]] = {kind: {} for kind in plan}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        for kind, paths in plan.items():  # warm-up: one request of each kind, not counted
            client.get(paths[0])
        rounds = max(len(paths) for paths in plan.values())
        for i in range(rounds):
            for kind, paths in plan.items():
                if i >= len(paths):
                    continue
                started = time.perf_counter()
                response = client.get(paths[i])
                response.read()
                samples[kind].append((time.perf_counter() - started) * 1000)
                statuses[kind][response.status_code] = statuses[kind].get(response.status_code, 0) + 1
    results = {}
    for kind, values in samples.items():
        values.sort()
        results[kind] = {
            "n": len(values),
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(values[int(0.95 * (len(values) - 1))], 1),
            "max_ms": round(values[-1], 1),
            "statuses": statuses[kind],
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="synthetic articles in the store to build or reuse")
    parser.add_argument("--db", help="an existing store's URL (skips building)")
    parser.add_argument("--workdir", type=Path, default=Path("benchmarks/out/web-store"), help="where the store is built")
    parser.add_argument("--rounds", type=int, default=60, help="requests per page kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "web_pages.json")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.db:
        from newstrace.store import open_store

        open_store(args.db).dispose()  # brings an older store's indexes up to date, before any timing
    url = args.db or build_store(args.size, args.workdir, args.seed)
    plan = pick_requests(url, args.rounds, args.seed)
    port = free_port()
    server = start_server(url, port)
    try:
        results = measure(port, plan)
    finally:
        server.terminate()
        server.wait(timeout=10)
    baseline = results["baseline: static file"]
    print(f"{'page':<26}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'p95/base':>10}  status")
    for kind, r in results.items():
        ratio = r["p95_ms"] / baseline["p95_ms"] if baseline["p95_ms"] else float("nan")
        flag = "" if r["p95_ms"] < TARGET_MS else f"  over {TARGET_MS:.0f} ms"
        print(f"{kind:<26}{r['n']:>5}{r['p50_ms']:>9}{r['p95_ms']:>9}{r['max_ms']:>9}{ratio:>10.1f}  {r['statuses']}{flag}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"store": url, "rounds": args.rounds, "results": results}, indent=2))
    print(f"details: {args.out}")


if __name__ == "__main__":
    main()
