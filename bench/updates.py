#!/usr/bin/env python3
"""The living archive's figures, for BENCHMARKS.md ("Updates and stories").

On rmrb-199801 x50 (the corpus repeated under new names, as bench/run.py builds it):
  - a full build;
  - an update where nothing changed;
  - an update adding 1% new files (each an rmrb article under a new headline with its
    paragraphs in reverse order: a reprint of an archived article, as a news archive mostly
    receives);
  - 20 successive 1% updates, then the query medians of `corpus-search bench` on that index
    against a fresh build of the same files.
On rmrb-199801 x10: builds with story detection and without it (CORPUS_SEARCH_NO_STORIES=1),
alternating, three of each, to measure what story detection adds.

    python3 bench/updates.py [--work DIR] [--runs N]

Needs GNU time for peak memory. Prints markdown tables.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "corpus-search"
RMRB = ROOT.parent / "shared" / "corpus" / "rmrb-199801"


def run(args, env=None):
    """Runs a command; returns (seconds, peak KB, stderr)."""
    start = time.perf_counter()
    p = subprocess.run(
        ["/usr/bin/time", "-f", "PEAK %M"] + [str(a) for a in args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    took = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{p.stderr}")
    peak = int(next(l for l in p.stderr.splitlines() if l.startswith("PEAK")).split()[1])
    return took, peak, p.stderr


def copies(into: Path, n: int):
    files = sorted(RMRB.glob("*.txt"))
    for i in range(n):
        d = into / f"copy{i:03d}"
        d.mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.copy(f, d / f.name)
    return len(files) * n


def new_articles(into: Path, step: int, count: int):
    """`count` new files: rmrb articles, retitled, their paragraphs reversed."""
    files = sorted(RMRB.glob("*.txt"))
    d = into / f"new{step:02d}"
    d.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        src = files[(step * count + k) % len(files)]
        lines = src.read_text(encoding="utf-8").splitlines()
        body = lines[1:][::-1]
        (d / f"new{step:02d}-{k:05d}.txt").write_text(
            "\n".join([f"{lines[0]}（{step}之{k}）"] + body) + "\n", encoding="utf-8"
        )


def index(corpus, idx, extra=(), env=None):
    took, peak, err = run([BIN, "index", "--corpus", corpus, "--index", idx, *extra], env)
    return took, peak, err.strip().splitlines()


def query_medians(idx, runs):
    p = subprocess.run(
        [BIN, "bench", "--index", idx, "--queries", ROOT / "bench" / "queries.tsv",
         "--runs", str(runs), "--json"],
        capture_output=True, text=True, check=True,
    )
    report = json.loads(p.stdout)
    return {c["class"]: c["median_ms"] for c in report["classes"]}


def segments(idx):
    gen = (Path(idx) / "CURRENT").read_text().strip()
    meta = json.loads((Path(idx) / gen / "meta.json").read_text())
    return len(meta["segments"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default=None)
    ap.add_argument("--runs", type=int, default=100)
    args = ap.parse_args()
    if not RMRB.is_dir():
        sys.exit(f"no {RMRB}: the corpus is in ../shared")
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    work = Path(args.work or tempfile.mkdtemp())
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    # ---- x50: full build, no-change update, 1% update, 20 updates
    corpus, idx = work / "x50", work / "x50-index"
    n = copies(corpus, 50)
    one_percent = n // 100
    full, full_peak, _ = index(corpus, idx)
    print(f"x50: {n} files; full build {full:.1f} s, peak {full_peak // 1024} MB, "
          f"{segments(idx)} segments")
    same, same_peak, lines = index(corpus, idx)
    print(f"nothing changed: {same:.2f} s, peak {same_peak // 1024} MB | {lines[-1]}")
    rows = []
    for step in range(20):
        new_articles(corpus, step, one_percent)
        took, peak, lines = index(corpus, idx)
        rows.append((step + 1, took, peak, segments(idx), next(l for l in lines if l.startswith("updated"))))
        print(f"update {step + 1}: {took:.2f} s ({100 * took / full:.1f}% of the full build), "
              f"peak {peak // 1024} MB, {segments(idx)} segments")
    updated = query_medians(idx, args.runs)
    fresh_idx = work / "x50-fresh"
    fresh, _, _ = index(corpus, fresh_idx)
    fresh_q = query_medians(fresh_idx, args.runs)
    print(f"fresh build of the grown corpus: {fresh:.1f} s, {segments(fresh_idx)} segments")
    print("\n| class | fresh build (ms) | after 20 updates (ms) | ratio |\n|---|---:|---:|---:|")
    for c in fresh_q:
        print(f"| {c} | {fresh_q[c]:.2f} | {updated[c]:.2f} | {updated[c] / fresh_q[c]:.2f} |")
    print("\n| update | seconds | share of the full build | peak MB | segments |\n|---:|---:|---:|---:|---:|")
    for step, took, peak, segs, _ in rows:
        print(f"| {step} | {took:.2f} | {100 * took / full:.1f}% | {peak // 1024} | {segs} |")
    shutil.rmtree(corpus)
    shutil.rmtree(idx)
    shutil.rmtree(fresh_idx)

    # ---- x10: what story detection adds
    corpus10 = work / "x10"
    copies(corpus10, 10)
    with_s, without = [], []
    for r in range(3):
        for env, into in ((None, with_s), ({"CORPUS_SEARCH_NO_STORIES": "1"}, without)):
            i = work / "x10-index"
            shutil.rmtree(i, ignore_errors=True)
            took, peak, _ = index(corpus10, i, env=env)
            into.append((took, peak))
    med = lambda xs: sorted(x[0] for x in xs)[len(xs) // 2]
    print(f"\nx10 with stories: {[round(t, 1) for t, _ in with_s]} s (median {med(with_s):.1f}), "
          f"without: {[round(t, 1) for t, _ in without]} s (median {med(without):.1f}); "
          f"stories add {100 * (med(with_s) / med(without) - 1):.1f}%")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
