#!/usr/bin/env bash
# Load test of `corpus-search serve` (not part of `cargo test`): the seeds repeated 10x under
# new file names, 64 concurrent clients for 30 seconds (wrk, 2 threads) over a mix of API and
# page requests (bench/load.lua). Prints throughput, latency percentiles and errors.
#   bench/load.sh [SECONDS] [CLIENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
clients=${2:-64}
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet
bin=target/release/corpus-search
work=target/load
rm -rf "$work" && mkdir -p "$work/corpus"
for copy in $(seq 1 10); do
  for f in seeds/*; do cp "$f" "$work/corpus/copy${copy}-$(basename "$f")"; done
done
"$bin" index --corpus "$work/corpus" --index "$work/index" 2>&1 | tail -1
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --index "$work/index" --addr "127.0.0.1:$port" --quiet 2>"$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done
echo "== $clients clients for ${seconds}s against $(curl -s "http://127.0.0.1:$port/api/health")"
wrk -t2 -c"$clients" -d"${seconds}s" --timeout 10s -s bench/load.lua "http://127.0.0.1:$port" | tee "$work/wrk.txt"
grep -q "non-200 0$" "$work/wrk.txt" && grep -q "connect 0, read 0, write 0, timeout 0" "$work/wrk.txt" \
  || { echo "load test: there were errors"; exit 1; }
echo "load test: no errors"
