#!/usr/bin/env bash
# Load throughput and query times: the embedded index against a local 2-node OpenSearch
# cluster (2 shards, 1 replica) on the same corpus, on this machine. BENCHMARKS.md,
# "A cluster (--engine)", quotes one run.
#
#   bench/cluster.sh [CORPUS] [RUNS]     (defaults: ../shared/corpus/rmrb-199801, 3 loads)
#
# Both sides run as whole processes (`index`, then `query --limit 10` with its facet counts),
# so process start and, for the embedded index, opening it are included on both.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus/rmrb-199801}"
runs="${2:-3}"
bin=target/release/corpus-search
[ -x "$bin" ] || cargo build --release --bins
work="$(mktemp -d)"
run_dir="$work/cluster"
trap 'scaleout/local-cluster stop --dir "$run_dir" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

started=$(date +%s.%N)
url="$(scaleout/local-cluster start --nodes 2 --dir "$run_dir" | tail -n 1)"
echo "cluster start: $(python3 -c "print(f'{$(date +%s.%N) - $started:.1f}')") s, $url"
rss() { ps -o rss= -p "$(cat "$run_dir/pid")" | awk '{printf "%.0f MB", $1/1024}'; }
echo "cluster RSS after start: $(rss)"

seconds() { python3 -c "import sys; print(f'{float(sys.argv[1]):.2f}')" "$1"; }
mb=$(du -sm "$corpus" | cut -f1)
for i in $(seq 1 "$runs"); do
  t0=$(date +%s.%N)
  "$bin" index --corpus "$corpus" --index "$work/idx" --rebuild >/dev/null 2>&1
  t1=$(date +%s.%N)
  "$bin" index --corpus "$corpus" --engine "${url}bench" --rebuild --shards 2 --replicas 1 >/dev/null 2>&1
  t2=$(date +%s.%N)
  echo "load $i: embedded $(seconds "$(echo "$t1 - $t0" | bc)") s, cluster $(seconds "$(echo "$t2 - $t1" | bc)") s ($mb MB on disk)"
done
echo "cluster RSS after the loads: $(rss)"
t0=$(date +%s.%N)
"$bin" index --corpus "$corpus" --engine "${url}bench" >/dev/null 2>&1
echo "update with nothing changed: $(seconds "$(echo "$(date +%s.%N) - $t0" | bc)") s"

python3 - "$bin" "$work/idx" "${url}bench" <<'PY'
import statistics, subprocess, sys, time
bin, idx, url = sys.argv[1:4]
queries = [("经济", []), ("民共和", []), ("中华人民共和国", []), ("香港 -台湾", []),
           ("title:经济", []), ("GDP", []), ("经济", ["--province", "广东"]),
           ("", ["--from", "1998-01-10", "--to", "1998-01-20"]),
           # Proximity: the cluster's candidates are read back and measured here.
           ("经济 NEAR/10 改革", []), ('"改革 开放"~3', ["--province", "广东"])]
def median_ms(at, q, n=15):
    words, flags = q
    times = []
    for _ in range(n + 2):
        t = time.perf_counter()
        subprocess.run([bin, "query", "--limit", "10", *at, *flags, "--", words], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times[2:])
print(f"{'query':<32} {'embedded ms':>12} {'cluster ms':>11}")
for q in queries:
    a = median_ms(["--index", idx], q)
    b = median_ms(["--engine", url], q)
    print(f"{(q[0] + ' ' + ' '.join(q[1])).strip():<32} {a:>12.0f} {b:>11.0f}")

# The commands that read every match (export, kwic) or count stories, 5 runs after a warm-up.
commands = [["query", "--limit", "10", "--collapse", "--", "经济"],
            ["facets", "--by", "province", "--by", "month", "--stories", "--", "经济"],
            ["kwic", "--limit", "0", "--", "香港"],
            ["export", "--format", "jsonl", "--", "经济"],
            ["export", "--format", "csv", "--", ""]]
def command_ms(at, c, n=5):
    times = []
    for _ in range(n + 1):
        t = time.perf_counter()
        out = subprocess.run([bin, c[0], *at, *c[1:]], check=True, capture_output=True)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times[1:]), out.stdout.count(b"\n")
print(f"\n{'command':<48} {'lines':>6} {'embedded ms':>12} {'cluster ms':>11}")
for c in commands:
    a, lines = command_ms(["--index", idx], c)
    b, _ = command_ms(["--engine", url], c)
    print(f"{' '.join(c):<48} {lines:>6} {a:>12.0f} {b:>11.0f}")
PY
