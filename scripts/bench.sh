#!/usr/bin/env bash
# Benchmarks for the speed and memory targets of the issues. Prints figures; asserts nothing.
#   scripts/bench.sh [cli|all]    (default: all)
# cli: a tansu broker seeded with 1,000 topics x 6 partitions and 50 groups with commits;
#      `kafkaops topics --output json` and `kafkaops lag` against `kcat -L` (same broker,
#      same librdkafka 2.8.0), median wall time over RUNS runs, ratios, peak RSS.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHAT=${1:-all}
RUNS=${RUNS:-7}
bash "$ROOT/scripts/setup.sh"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
# shellcheck disable=SC1091
. "$ROOT/.cache/env.sh"
cd "$ROOT"
swift build -c release --product kafkaops >&2
swift build -c release --product kafkaops-bench >&2
BIN="$ROOT/.build/release/kafkaops"
BENCH="$ROOT/.build/release/kafkaops-bench"

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

TANSU_PID=""
cleanup() { [ -n "$TANSU_PID" ] && kill "$TANSU_PID" 2>/dev/null || true; }
trap cleanup EXIT

start_tansu() {
  PORT=$(free_port)
  "$KAFKAOPS_TANSU" broker --listener-url "tcp://127.0.0.1:$PORT" --advertised-listener-url "tcp://127.0.0.1:$PORT" \
    >/tmp/kafkaops-bench-tansu.log 2>&1 &
  TANSU_PID=$!
  for _ in $(seq 1 100); do
    (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "tansu did not start" >&2; exit 1
}

# median_run NAME CMD... : runs CMD RUNS times, prints "median_seconds max_rss_kb"
median_run() {
  local times=() rss=0
  for _ in $(seq 1 "$RUNS"); do
    local out
    out=$( { /usr/bin/time -f "%e %M" "$@" >/dev/null 2>/dev/null; } 2>&1 | tail -n1)
    times+=("$(echo "$out" | cut -d' ' -f1)")
    local r; r=$(echo "$out" | cut -d' ' -f2)
    [ "$r" -gt "$rss" ] && rss=$r
  done
  local med
  med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$med $rss"
}

bench_cli() {
  start_tansu
  echo "== CLI vs kcat -L: tansu on 127.0.0.1:$PORT"
  "$BENCH" seed --bootstrap "127.0.0.1:$PORT" --topics 1000 --partitions 6 --groups 50
  # warm-up and sanity checks
  LD_LIBRARY_PATH="$KAFKAOPS_RDKAFKA_LIBDIR" kcat -b "127.0.0.1:$PORT" -L -J | python3 -c 'import json,sys;d=json.load(sys.stdin);print("kcat sees", len(d["topics"]), "topics")'
  "$BIN" topics --bootstrap "127.0.0.1:$PORT" --output json | python3 -c 'import json,sys;d=json.load(sys.stdin);print("kafkaops sees", len(d["topics"]), "topics,", sum(t["partitions"] for t in d["topics"]), "partitions,", len(d["warnings"]), "warnings")'
  "$BIN" lag --bootstrap "127.0.0.1:$PORT" --output json | python3 -c 'import json,sys;d=json.load(sys.stdin);print("kafkaops sees", len(d["groups"]), "groups,", len(d["warnings"]), "warnings")'
  read -r kcat_s kcat_rss < <(median_run env LD_LIBRARY_PATH="$KAFKAOPS_RDKAFKA_LIBDIR" kcat -b "127.0.0.1:$PORT" -L)
  read -r topics_s topics_rss < <(median_run "$BIN" topics --bootstrap "127.0.0.1:$PORT" --output json)
  read -r lag_s lag_rss < <(median_run "$BIN" lag --bootstrap "127.0.0.1:$PORT")
  printf '%-36s %10s %12s %8s\n' "command (median of $RUNS)" "seconds" "peak RSS MB" "ratio"
  printf '%-36s %10s %12.1f %8s\n' "kcat -L" "$kcat_s" "$(echo "$kcat_rss/1024" | bc -l)" "1.00"
  printf '%-36s %10s %12.1f %8.2f   (target <= 3x, < 60 MB)\n' "kafkaops topics --output json" "$topics_s" "$(echo "$topics_rss/1024" | bc -l)" "$(echo "$topics_s/$kcat_s" | bc -l)"
  printf '%-36s %10s %12.1f %8.2f   (target <= 4x, < 60 MB)\n' "kafkaops lag" "$lag_s" "$(echo "$lag_rss/1024" | bc -l)" "$(echo "$lag_s/$kcat_s" | bc -l)"
  cleanup; TANSU_PID=""
}

case "$WHAT" in
  cli) bench_cli ;;
  all) bench_cli ;;
  *) echo "usage: scripts/bench.sh [cli|all]" >&2; exit 2 ;;
esac
