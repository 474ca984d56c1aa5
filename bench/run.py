#!/usr/bin/env python3
"""The whole benchmark in one command: corpus-search beside Lucene 8.7 (SmartCN and CJK
bigrams) and SQLite FTS5 (trigram), on the same corpus and the same queries, at 1x and 10x.

    python3 bench/run.py [CORPUS_DIR] [--scales 1,10] [--runs 200] [--index-runs 3] [--peer-scales 1,10]

CORPUS_DIR defaults to ../shared/corpus/rmrb-199801 (rebuild it with bench/get-corpus.py).
A scale N > 1 is the corpus repeated N times under changed file names. Needs Java (javac) and
Debian's liblucene8-java for the Lucene columns (installed with apt-get when run as root);
without them those columns say so.
Writes target/bench/results.json and target/bench/report.md (the tables of BENCHMARKS.md).
"""
import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "bench"
BIN = ROOT / "target" / "release" / "corpus-search"
QUERIES = ROOT / "bench" / "queries.tsv"
LUCENE_JARS = ["lucene-core", "lucene-analyzers-common", "lucene-analyzers-smartcn", "lucene-queryparser"]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def peak_rss(cmd):
    """Peak RSS (MB) of one command, read by GNU time."""
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *map(str, cmd)], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{cmd} failed:\n{p.stderr}")
    return p.stdout, int(p.stderr.strip().splitlines()[-1]) / 1024


def dir_size(path):
    p = Path(path)
    if p.is_file():
        return p.stat().st_size
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def corpus_at(scale, corpus):
    if scale == 1:
        return corpus
    target = OUT / f"corpus-{scale}x"
    files = sorted(f for f in corpus.rglob("*") if f.is_file())
    if target.exists() and sum(1 for _ in target.iterdir()) == scale * len(files):
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for k in range(1, scale + 1):
        for f in files:
            os.link(f, target / f"x{k:02d}-{f.name}")
    return target


def read_queries():
    out = []
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        out.append({"class": cols[0], "query": cols[1], "filters": cols[2] if len(cols) > 2 else ""})
    return out


# --- corpus-search -------------------------------------------------------------------------

# Both exact views an index can keep (`index --exact-view`), as engines of their own.
OURS = {"corpus-search": "positions", "corpus-search (doc ids)": "doc-ids"}


def ours_dir(scale, view):
    return OUT / (f"ours-{scale}x" if view == "positions" else f"ours-{view}-{scale}x")


def ours_index(corpus, scale, name):
    view = OURS[name]
    index = ours_dir(scale, view)
    shutil.rmtree(index, ignore_errors=True)
    start = time.perf_counter()
    out, rss = peak_rss([BIN, "index", "--corpus", corpus, "--index", index, "--exact-view", view, "--json"])
    wall = time.perf_counter() - start
    summary = json.loads(out)
    return {
        "engine": name,
        "docs": summary["articles"],
        "bytes": summary["bytes_read"],
        "seconds": wall,
        "rss_mb": rss,
        "index_bytes": dir_size(index),
    }


def ours_queries(scale, runs, name):
    index = ours_dir(scale, OURS[name])
    q, _ = peak_rss([BIN, "bench", "--index", index, "--queries", QUERIES, "--runs", runs, "--json"])
    return json.loads(q)["queries"]


# --- Lucene --------------------------------------------------------------------------------

def lucene_classpath():
    jars = [Path(f"/usr/share/java/{name}-8.7.0.jar") for name in LUCENE_JARS]
    ready = lambda: shutil.which("javac") is not None and all(j.exists() for j in jars)
    if not ready() and shutil.which("apt-get") and os.geteuid() == 0:
        log("installing Java and Lucene 8.7 (apt-get install default-jdk-headless liblucene8-java)")
        subprocess.run(["apt-get", "install", "-y", "-qq", "default-jdk-headless", "liblucene8-java"],
                       stdout=subprocess.DEVNULL)
    if not ready():
        return None
    jars = [str(j) for j in jars]
    classes = OUT / "classes"
    classes.mkdir(parents=True, exist_ok=True)
    subprocess.run(["javac", "-cp", ":".join(jars), "-d", classes, ROOT / "bench/lucene/LuceneBench.java"], check=True)
    return ":".join(jars + [str(classes)])


def lucene_java(cp):
    return ["java", "-Xmx2g", "-cp", cp, "LuceneBench"]


def lucene_dir(analyzer, scale):
    return OUT / f"lucene-{analyzer}-{scale}x"


def lucene_index(cp, analyzer, corpus, scale):
    index = lucene_dir(analyzer, scale)
    shutil.rmtree(index, ignore_errors=True)
    start = time.perf_counter()
    out, rss = peak_rss([*lucene_java(cp), "index", analyzer, corpus, index, os.cpu_count() or 2])
    wall = time.perf_counter() - start
    summary = json.loads(out)
    return {
        "engine": f"Lucene {'SmartCN' if analyzer == 'smartcn' else 'CJK bigram'}",
        "docs": summary["docs"],
        "bytes": summary["bytes"],
        "seconds": wall,
        "rss_mb": rss,
        "index_bytes": dir_size(index),
    }


def lucene_queries(cp, analyzer, scale, runs):
    # The JVM needs more warm-up than native code before its timings settle.
    q, _ = peak_rss([*lucene_java(cp), "query", analyzer, lucene_dir(analyzer, scale), QUERIES, runs, max(100, runs // 2)])
    return [json.loads(l) for l in q.splitlines() if l.strip()]


# --- SQLite FTS5 trigram -------------------------------------------------------------------

def sqlite_terms(query):
    """The substrings a query asks for: words separated by spaces, quotes removed."""
    return [t for t in query.replace('"', " ").split() if t]


def sqlite_path(scale):
    return OUT / f"sqlite-{scale}x.db"


def sqlite_index(corpus, scale):
    db_path = sqlite_path(scale)
    if db_path.exists():
        db_path.unlink()
    start = time.perf_counter()
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, body, tokenize='trigram')")
    total_bytes = 0
    docs = 0
    batch = []
    for f in sorted(corpus.rglob("*")):
        if not f.is_file():
            continue
        raw = f.read_bytes()
        total_bytes += len(raw)
        batch.append((str(f), raw.decode("utf-8", errors="replace")))
        docs += 1
        if len(batch) >= 1000:
            db.executemany("INSERT INTO docs VALUES (?, ?)", batch)
            batch = []
    db.executemany("INSERT INTO docs VALUES (?, ?)", batch)
    db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    db.commit()
    wall = time.perf_counter() - start
    db.close()
    return {
        "engine": "SQLite FTS5 trigram",
        "docs": docs,
        "bytes": total_bytes,
        "seconds": wall,
        "rss_mb": None,
        "index_bytes": dir_size(db_path),
    }


def sqlite_queries(scale, runs):
    db = sqlite3.connect(sqlite_path(scale))
    results = []
    for q in read_queries():
        if q["filters"]:
            continue
        terms = sqlite_terms(q["query"])
        if all(len(t) >= 3 for t in terms):
            # Indexed substring search; ranked by bm25.
            match = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
            count_sql, top_sql, args = (
                "SELECT count(*) FROM docs WHERE docs MATCH ?",
                "SELECT path, body FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10",
                [match],
            )
        else:
            # Trigrams cannot look up 1-2 characters (FTS5 answers no rows for them, even
            # through LIKE): instr() scans every row instead, unranked.
            where = " AND ".join("instr(body, ?) > 0" for _ in terms)
            count_sql = f"SELECT count(*) FROM docs WHERE {where}"
            top_sql = f"SELECT path, body FROM docs WHERE {where} LIMIT 10"
            args = terms
        times = []
        total = 0
        for i in range(max(1, runs // 4) + 3):
            t0 = time.perf_counter()
            total = db.execute(count_sql, args).fetchone()[0]
            db.execute(top_sql, args).fetchall()
            if i >= 3:
                times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        results.append({
            "class": q["class"], "query": q["query"], "total": total,
            "median_ms": statistics.median(times),
            "p99_ms": times[min(len(times) - 1, int(0.99 * len(times)))],
        })
    db.close()
    return results


# --- start-up ------------------------------------------------------------------------------

def startup(runs=20):
    index = OUT / "seeds-index"
    # Built afresh: an index left by an older version may have another format.
    shutil.rmtree(index, ignore_errors=True)
    subprocess.run([BIN, "index", "--corpus", ROOT / "seeds", "--index", index], check=True, capture_output=True)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([BIN, "query", "低空经济", "--index", index], check=True, capture_output=True)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"median_ms": statistics.median(times), "max_ms": times[-1], "runs": runs}


# --- report --------------------------------------------------------------------------------

def by_class(queries):
    classes = {}
    for q in queries:
        classes.setdefault(q["class"], []).append(q)
    return classes


def spread(e):
    return ", ".join(f"{t:.1f}" for t in e.get("seconds_all", [e["seconds"]]))


def fmt(x, digits=2):
    return "–" if x is None else f"{x:.{digits}f}"


def report(results, meta):
    lines = []
    add = lines.append
    add(f"Machine: {meta['machine']}. Run: {meta['date']}, `python3 bench/run.py {meta['args']}`.\n")
    add("### Indexing\n")
    add("Seconds are the median of the builds (all builds in brackets); MB/s and articles/s follow from the median; "
        "peak RSS is the largest of the builds.\n")
    add("| scale | engine | input MB | articles | seconds | MB/s | articles/s | peak RSS MB | index MB | index / input |")
    add("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for scale, engines in results.items():
        for e in engines:
            mb = e["bytes"] / 1e6
            add(f"| {scale}x | {e['engine']} | {mb:.1f} | {e['docs']} | {e['seconds']:.1f} ({spread(e)}) | {mb / e['seconds']:.2f} | "
                f"{e['docs'] / e['seconds']:.0f} | {fmt(e['rss_mb'], 0)} | {e['index_bytes'] / 1e6:.1f} | {e['index_bytes'] / e['bytes']:.2f} |")
    add("")
    add("### Query latency, warm, one process (ms: median / p99 over all runs of the class)\n")
    for scale, engines in results.items():
        add(f"**{scale}x**\n")
        names = [e["engine"] for e in engines]
        add("| class | " + " | ".join(names) + " | ours vs Lucene CJK (median) | ours vs SmartCN (median) "
            "| doc ids vs Lucene CJK (median) |")
        add("|---|" + "---:|" * (len(names) + 3))
        classes = [c for c in by_class(engines[0]["queries"])]
        for c in classes:
            cells = []
            medians = {}
            for e in engines:
                qs = [q for q in e["queries"] if q["class"] == c]
                if not qs:
                    cells.append("n/a (no facets)")
                    continue
                med = statistics.median(q["median_ms"] for q in qs)
                p99 = max(q["p99_ms"] for q in qs)
                medians[e["engine"]] = med
                cells.append(f"{med:.2f} / {p99:.2f}")
            def ratio(name, ours="corpus-search"):
                mine = medians.get(ours)
                if name not in medians or not mine:
                    return "–"
                return (f"{medians[name] / mine:.1f}x faster" if medians[name] >= mine
                        else f"{mine / medians[name]:.1f}x slower")
            add(f"| {c} | " + " | ".join(cells) + f" | {ratio('Lucene CJK bigram')} | {ratio('Lucene SmartCN')} "
                f"| {ratio('Lucene CJK bigram', 'corpus-search (doc ids)')} |")
        add("")
    add("### Hit counts that differ from corpus-search (1x)\n")
    first = next(iter(results.values()))
    ours_hits = {q["query"]: q["total"] for q in first[0]["queries"]}
    add("| query | corpus-search | " + " | ".join(e["engine"] for e in first[1:]) + " |")
    add("|---|---:|" + "---:|" * (len(first) - 1))
    for q in first[0]["queries"]:
        if q["filters"]:
            continue
        others = []
        differs = False
        for e in first[1:]:
            match = next((x for x in e["queries"] if x["query"] == q["query"]), None)
            t = match["total"] if match else None
            differs |= t is not None and t != q["total"]
            others.append("–" if t is None else (f"**{t}**" if t != q["total"] else str(t)))
        if differs:
            add(f"| {q['query']} | {q['total']} | " + " | ".join(others) + " |")
    add("")
    s = meta["startup"]
    add(f"### Start-up\n\n`corpus-search query 低空经济` on the seeds, whole process: median {s['median_ms']:.0f} ms, "
        f"slowest {s['max_ms']:.0f} ms over {s['runs']} runs.\n")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared/corpus/rmrb-199801"))
    ap.add_argument("--scales", default="1,10")
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--index-runs", type=int, default=3,
                    help="build every index this many times, in rounds; the table shows the median time")
    ap.add_argument("--no-peers", action="store_true", help="only corpus-search")
    ap.add_argument("--peer-scales", default=None,
                    help="run the peers only at these scales (default: every scale), e.g. 1,10 with --scales 1,10,50")
    args = ap.parse_args()
    if args.index_runs < 1:
        ap.error("--index-runs must be 1 or more: every index is built at least once")
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        raise SystemExit(f"no corpus at {corpus}; build it with `python3 bench/get-corpus.py {corpus}`")
    OUT.mkdir(parents=True, exist_ok=True)
    log("building corpus-search (release)")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    cp = None if args.no_peers else lucene_classpath()
    if cp is None and not args.no_peers:
        log("Lucene columns skipped: install javac and Debian's liblucene8-java")
    log("start-up")
    started = startup()
    results = {}
    for scale in [int(s) for s in args.scales.split(",")]:
        c = corpus_at(scale, corpus)
        log(f"== {scale}x: {c}")
        peers_here = args.peer_scales is None or str(scale) in args.peer_scales.split(",")
        # (name, index once, queries once), run in rounds: every engine indexes once per
        # round, so a machine whose speed drifts slows all of them alike.
        plan = [(name, lambda name=name: ours_index(c, scale, name),
                 lambda name=name: ours_queries(scale, args.runs, name)) for name in OURS]
        if not args.no_peers and peers_here:
            if cp:
                for an in ["smartcn", "cjk"]:
                    plan.append((f"Lucene {an}", lambda an=an: lucene_index(cp, an, c, scale),
                                 lambda an=an: lucene_queries(cp, an, scale, args.runs)))
            plan.append(("SQLite FTS5 trigram", lambda: sqlite_index(c, scale),
                         lambda: sqlite_queries(scale, args.runs)))
        builds = {name: [] for name, _, _ in plan}
        for r in range(args.index_runs):
            for name, index, _ in plan:
                log(f"{name}: index, run {r + 1} of {args.index_runs}")
                builds[name].append(index())
        engines = []
        for name, _, queries in plan:
            built = builds[name]
            e = dict(built[-1])
            times = sorted(b["seconds"] for b in built)
            e["seconds"] = statistics.median(times)
            e["seconds_all"] = times
            rss = [b["rss_mb"] for b in built if b["rss_mb"] is not None]
            e["rss_mb"] = max(rss) if rss else None
            log(f"{name}: queries")
            e["queries"] = queries()
            engines.append(e)
        results[f"{scale}"] = engines
        # Kept as it goes, so that a late failure loses nothing measured.
        (OUT / "results-partial.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    meta = {
        "machine": f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {platform.system()} {platform.release()}, "
                   f"SQLite {sqlite3.sqlite_version}",
        "date": time.strftime("%Y-%m-%d"),
        "args": " ".join(sys.argv[1:]),
        "startup": started,
    }
    (OUT / "results.json").write_text(json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=1))
    text = report(results, meta)
    (OUT / "report.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
