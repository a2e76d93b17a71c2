"""Scale benchmark: ingest N synthetic articles into SQLite, link them, and time the interactive
queries at that size.

    PYTHONPATH=src python benchmarks/scale.py --sizes 10000,30000,100000

Each size runs in its own process (peak memory is per process), on a fresh database, and reports:
articles per second (ingest, then link), peak and sampled resident memory, database size, and
p50/p95 of ``stories`` (list_stories), ``story ID`` (get_story) and ``search`` (search_articles) as
the CLI and the web reader call them, on a warm connection. Ratios are against the smallest size:
memory should stay flat (streaming), throughput roughly constant.

What runs per document: the JSON Lines source, the real provenance stage (agency, MinHash
fingerprint), the store and copy detection; the article is the record's own paragraphs and the
claims are read by pattern (``synthetic.light_analyze``), because the spaCy claims stage would take
hours on 100,000 articles on two cores: its throughput is measured by benchmarks/claims_speed.py.
``--analyzer full`` runs the real extract stage too (``read_article``).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed(calls) -> dict:
    samples = []
    for call in calls:
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "n": len(samples),
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 2),
        "max_ms": round(samples[-1], 2),
    }


def run_one(size: int, analyzer: str, workdir: Path, seed: int) -> dict:
    from sqlalchemy import func, select, text

    from newstrace.config import load_settings
    from newstrace.ingest import ingest, link_if_needed
    from newstrace.store import open_store, queries
    from newstrace.store.schema import articles, stories
    from synthetic import full_analyze, light_analyze, write_jsonl

    source = workdir / f"synthetic-{size}.jsonl"
    started = time.perf_counter()
    write_jsonl(source, size, seed)
    generate_s = time.perf_counter() - started

    database = workdir / f"scale-{size}.db"
    for stale in workdir.glob(f"scale-{size}.db*"):
        stale.unlink()
    engine = open_store(f"sqlite:///{database}")
    config = load_settings(fetch_feed_links=False)
    samples: list[tuple[int, float]] = []
    step = max(size // 10, 1)

    def on_document(_event, counter=[0]) -> None:  # noqa: B006 (a counter kept across calls)
        counter[0] += 1
        if counter[0] % step == 0:
            samples.append((counter[0], round(rss_mib(), 1)))

    analyze = full_analyze if analyzer == "full" else light_analyze
    started = time.perf_counter()
    summary = ingest([str(source)], engine, analyze=analyze, config=config, on_document=on_document, run_link=False)
    ingest_s = time.perf_counter() - started
    rss_after_ingest = rss_mib()
    started = time.perf_counter()
    linked = link_if_needed(engine, config, force=True)
    link_s = time.perf_counter() - started
    rss_after_link = rss_mib()
    with engine.begin() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    db_bytes = sum(p.stat().st_size for p in workdir.glob(f"scale-{size}.db*"))

    rng = random.Random(seed)
    with engine.connect() as conn:
        story_ids = conn.scalars(select(stories.c.id)).all()
        big = conn.scalars(select(stories.c.id).order_by(stories.c.articles.desc()).limit(20)).all()
        titles = conn.scalars(select(articles.c.title).where(articles.c.id.in_(rng.sample(range(1, size + 1), 200)))).all()
        words = [w for t in titles for w in (t or "").split()]
        names = [w for w in words if w[:1].isupper()]
        picked = rng.sample(story_ids, min(80, len(story_ids))) + list(big)
        queries_of_one = [rng.choice(names) for _ in range(50)]
        queries_of_two = [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(50)]
        timings = {
            "stories": timed([lambda: queries.list_stories(conn, limit=20)] * 50),
            "story": timed([lambda i=i: queries.get_story(conn, i) for i in picked]),
            "search": timed([lambda q=q: queries.search_articles(conn, q) for q in queries_of_one + queries_of_two]),
            "claims_about": timed([lambda q=q: queries.find_claim_groups(conn, q) for q in queries_of_one]),
        }
        counts = {
            "articles": conn.execute(select(func.count()).select_from(articles)).scalar_one(),
            "stories": len(story_ids),
        }
        quality = _quality(conn)
    return {
        "size": size,
        "analyzer": analyzer,
        "generate_s": round(generate_s, 1),
        "ingest_s": round(ingest_s, 1),
        "ingest_articles_per_s": round(summary.new / ingest_s, 1),
        "link_s": round(link_s, 1),
        "total_articles_per_s": round(summary.new / (ingest_s + link_s), 1),
        "failed": summary.failed,
        "copy_groups": linked.copy_groups,
        "stories": linked.stories,
        "claim_groups": linked.claim_groups,
        "counts": counts,
        "rss_mib_during_ingest": samples,
        "rss_mib_after_ingest": round(rss_after_ingest, 1),
        "rss_mib_after_link": round(rss_after_link, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "db_mib": round(db_bytes / 2**20, 1),
        "db_bytes_per_article": round(db_bytes / max(summary.new, 1)),
        "queries": timings,
        "quality": quality,
    }


def _quality(conn) -> dict:
    """Copy groups and stories against the generator's truth (B-cubed; copy groups also exactly)."""
    from sqlalchemy import select

    from newstrace.store.schema import articles
    from synthetic import b_cubed, truth

    stories, copies, true_stories, true_copies = {}, {}, {}, {}
    for row in conn.execute(select(articles.c.id, articles.c.url, articles.c.copy_group_id, articles.c.story_id)):
        true_stories[row.id], true_copies[row.id] = truth(row.url, row.id)
        stories[row.id], copies[row.id] = row.story_id, row.copy_group_id

    def partition(labels):
        groups: dict = {}
        for item, key in labels.items():
            groups.setdefault(key, set()).add(item)
        return {frozenset(g) for g in groups.values()}

    return {
        "stories_b_cubed": b_cubed(stories, true_stories),
        "copy_groups_b_cubed": b_cubed(copies, true_copies),
        "copy_groups_exact": partition(copies) == partition(true_copies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,30000,100000", help="comma-separated corpus sizes, one process each")
    parser.add_argument("--analyzer", choices=["light", "full"], default="light")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=None, help="where the corpus and databases go (default: a temp dir)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "scale.json")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="newstrace-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.one:
        print(json.dumps(run_one(args.one, args.analyzer, workdir, args.seed)))
        return
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        command = [sys.executable, __file__, "--one", str(size), "--analyzer", args.analyzer, "--seed", str(args.seed), "--workdir", str(workdir)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(result)
        print(_line(result, results[0]), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"details: {args.out}")


def _line(result: dict, baseline: dict) -> str:
    q = result["queries"]
    return (
        f"{result['size']:>7} articles: ingest {result['ingest_articles_per_s']}/s, link {result['link_s']} s, "
        f"overall {result['total_articles_per_s']}/s (x{result['total_articles_per_s'] / baseline['total_articles_per_s']:.2f}); "
        f"peak RSS {result['peak_rss_mib']} MiB (x{result['peak_rss_mib'] / baseline['peak_rss_mib']:.2f}); "
        f"db {result['db_mib']} MiB; p95 stories {q['stories']['p95_ms']} ms, story {q['story']['p95_ms']} ms, "
        f"search {q['search']['p95_ms']} ms, claims {q['claims_about']['p95_ms']} ms; "
        f"stories B3 F1 {result['quality']['stories_b_cubed']['f1']}, copy groups exact {result['quality']['copy_groups_exact']}"
    )


if __name__ == "__main__":
    main()
