#!/usr/bin/env bash
# Benchmarks for the speed and memory targets of the issues. Prints figures; asserts nothing.
#   scripts/bench.sh [cli|lag|audit|reset|dlq|dlq-console|tui|probe|package|schemas|watch|all]    (default: all)
# schemas: issue 22. SCHEMA_RECORDS (100,000) Avro records of ~1 KB written by confluent-kafka's AvroSerializer
#      through the test registry, and the same as plain JSON: `dlq summary` on each (target: Avro within 1.5x
#      of JSON); `consume --last N -o jsonl` decoding them vs confluent-kafka's consumer with its AvroDeserializer
#      (target: at least as fast); `consume --follow` on a topic receiving 5,000 records/s for FOLLOW_SECONDS
#      (600) sampling its RSS every 5 s (target: < 100 MB).
# cli: a tansu broker seeded with 1,000 topics x 6 partitions and 50 groups with commits;
#      `kafkaops topics --output json` and `kafkaops lag` against `kcat -L` (same broker,
#      same librdkafka 2.14.2), median wall and CPU time over RUNS runs (default 9), ratios, peak RSS
#      (targets, issue 21: topics within 2.5x and lag within 3x of kcat -L), then where kafkaops'
#      time goes (the phases of a topics and a lag run, from kafkaops-bench phases).
# lag: issue 11. A tansu broker with 50 groups x 20 lagging partitions (1,000): the record timestamps at
#      the committed offsets (time lag) and all lag facts, with the number of fetch requests librdkafka
#      sent (its FETCH debug lines); sample history for 10,000 partitions x 30 min at 5 s (memory), and
#      one refresh of 1,000 groups (record + trend rows).
# probe: issue 16. `kafkaops probe` against tansu on loopback with no rate limit for 10 s: records/s
#      sustained (target >= 5,000), acknowledgement and end-to-end latencies, peak RSS.
# watch: issue 26. `kafkaops watch --demo` on a demo cluster of 10,000 partitions (1,000 topics x 10) and
#      1,000 groups (KAFKAOPS_DEMO_SCENARIO=scaled:1000:10:1000): the time of a /metrics scrape, text format
#      and OpenMetrics, median and worst over SCRAPES (200) scrapes with curl (target < 50 ms), the body's size,
#      the refresh's own duration, and the process's resident memory (VmRSS, VmHWM) after the scrapes.
#      WATCH_BIN=path measures another build (a debug one on a shared machine: BENCH_NO_BUILD=1 WATCH_BIN=.build/debug/kafkaops).
# package: scripts/package.sh, then the packaged (stripped) binary's size, the .deb's size, and
#      `kafkaops --version` from the unpacked tarball: median wall time and peak RSS.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WHAT=${1:-all}
RUNS=${RUNS:-9}
# The release build has its own scratch folder (a debug build in .build is left alone).
# BENCH_NO_BUILD=1: use the binaries already built there, without set-up or build (on a shared machine).
SCRATCH="$ROOT/.build-release"
if [ "${BENCH_NO_BUILD:-}" != 1 ]; then bash "$ROOT/scripts/setup.sh"; fi
# shellcheck disable=SC1091
. "$ROOT/.cache/env.sh"
cd "$ROOT"
if [ "$WHAT" != package ] && [ "${BENCH_NO_BUILD:-}" != 1 ]; then
  swift build -c release --scratch-path "$SCRATCH" --product kafkaops -Xswiftc -static-stdlib >&2
  swift build -c release --scratch-path "$SCRATCH" --product kafkaops-bench -Xswiftc -static-stdlib >&2
fi
BIN="$SCRATCH/release/kafkaops"
BENCH="$SCRATCH/release/kafkaops-bench"

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

# median_run CMD... : runs CMD RUNS times, prints "median_seconds peak_rss_kb median_cpu_seconds" (wall
# time, max resident set size and user + system CPU time of each run, from wait4).
median_run() {
  python3 - "$RUNS" "$@" <<'PY'
import os, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times, cpus, rss = [], [], 0
for _ in range(runs):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    times.append(time.perf_counter() - t0)
    cpus.append(ru.ru_utime + ru.ru_stime)
    rss = max(rss, ru.ru_maxrss)
    if os.waitstatus_to_exitcode(status) not in (0, int(os.environ.get("ALLOW_EXIT", "0"))):
        sys.exit(f"{' '.join(cmd)} failed")
times.sort(); cpus.sort()
print(f"{times[len(times)//2]:.3f} {rss} {cpus[len(cpus)//2]:.3f}")
PY
}

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$1" "$2"; }
mb() { python3 -c "import sys; print(f'{int(sys.argv[1])/1024:.1f}')" "$1"; }

bench_cli() {
  start_tansu
  echo "== CLI vs kcat -L: tansu on 127.0.0.1:$PORT"
  "$BENCH" seed --bootstrap "127.0.0.1:$PORT" --topics 1000 --partitions 6 --groups 50
  # warm-up and sanity checks
  LD_LIBRARY_PATH="$KAFKAOPS_RDKAFKA_LIBDIR" kcat -b "127.0.0.1:$PORT" -L -J | python3 -c 'import json,sys;d=json.load(sys.stdin);print("kcat sees", len(d["topics"]), "topics")'
  "$BIN" topics --bootstrap "127.0.0.1:$PORT" --output json | python3 -c 'import json,sys;d=json.load(sys.stdin);print("kafkaops sees", len(d["topics"]), "topics,", sum(t["partitions"] for t in d["topics"]), "partitions,", len(d["warnings"]), "warnings")'
  "$BIN" lag --bootstrap "127.0.0.1:$PORT" --output json | python3 -c 'import json,sys;d=json.load(sys.stdin);print("kafkaops sees", len(d["groups"]), "groups,", len(d["warnings"]), "warnings")'
  read -r kcat_s kcat_rss kcat_cpu < <(median_run env LD_LIBRARY_PATH="$KAFKAOPS_RDKAFKA_LIBDIR" kcat -b "127.0.0.1:$PORT" -X enable.metrics.push=false -L)
  read -r topics_s topics_rss topics_cpu < <(median_run "$BIN" topics --bootstrap "127.0.0.1:$PORT" --output json)
  read -r lag_s lag_rss lag_cpu < <(median_run "$BIN" lag --bootstrap "127.0.0.1:$PORT")
  read -r version_s _ version_cpu < <(median_run "$BIN" --version)
  printf '%-36s %10s %8s %12s %8s\n' "command (median of $RUNS)" "seconds" "CPU s" "peak RSS MB" "ratio"
  printf '%-36s %10s %8s %12s %8s\n' "kcat -L (metrics push off)" "$kcat_s" "$kcat_cpu" "$(mb "$kcat_rss")" "1.00"
  printf '%-36s %10s %8s %12s %8s   (target <= 2.5x, < 60 MB)\n' "kafkaops topics --output json" "$topics_s" "$topics_cpu" "$(mb "$topics_rss")" "$(ratio "$topics_s" "$kcat_s")"
  printf '%-36s %10s %8s %12s %8s   (target <= 3x, < 60 MB)\n' "kafkaops lag" "$lag_s" "$lag_cpu" "$(mb "$lag_rss")" "$(ratio "$lag_s" "$kcat_s")"
  printf '%-36s %10s %8s %12s %8s   (start-up alone)\n' "kafkaops --version" "$version_s" "$version_cpu" "" "$(ratio "$version_s" "$kcat_s")"
  echo "-- where kafkaops' time goes (one run each, kafkaops-bench phases)"
  "$BENCH" phases --bootstrap "127.0.0.1:$PORT" || true
  cleanup; TANSU_PID=""
}

bench_audit() {
  echo "== durability audit"
  "$BENCH" audit --topics 5000
  read -r s rss < <(ALLOW_EXIT=1 median_run "$BIN" audit --demo --output json)   # exit 1: it has findings
  echo "kafkaops audit --demo (standard demo cluster, whole process): ${s}s, peak RSS $(mb "$rss") MB"
}

bench_reset() {
  echo "== offset reset planning"
  "$BENCH" reset --partitions 2000
  bench_reset_wizard
}

# The console's reset wizard: the plan of 2,000 demo partitions, from arrival to the first frame.
bench_reset_wizard() {
  "$BENCH" reset-wizard
}

bench_dlq() {
  start_tansu
  echo "== DLQ: tansu on 127.0.0.1:$PORT"
  # Batched as Kafka Connect's DLQ producer writes (Java producer batch.size 16 KB).
  "$BENCH" dlq-seed --bootstrap "127.0.0.1:$PORT" --topic bench-dlq --records "${DLQ_RECORDS:-100000}" --size 1000
  "$BENCH" dlq-read --bootstrap "127.0.0.1:$PORT" --topic bench-dlq
  # The broker's own speed, for comparison: kcat reading the first 100 records, and all of them.
  read -r k1 _ < <(RUNS=3 median_run env LD_LIBRARY_PATH="$KAFKAOPS_RDKAFKA_LIBDIR" kcat -b "127.0.0.1:$PORT" -X enable.metrics.push=false \
    -C -t bench-dlq -o beginning -c 100 -q)
  read -r kall _ < <(RUNS=3 median_run env LD_LIBRARY_PATH="$KAFKAOPS_RDKAFKA_LIBDIR" kcat -b "127.0.0.1:$PORT" -X enable.metrics.push=false \
    -C -t bench-dlq -o beginning -e -q)
  echo "kcat on the same broker: first 100 records ${k1}s, all ${DLQ_RECORDS:-100000} records ${kall}s (whole process)"
  read -r s rss < <(RUNS=3 median_run "$BIN" dlq summary bench-dlq --bootstrap "127.0.0.1:$PORT" --timeout 60)
  echo "kafkaops dlq summary over ${DLQ_RECORDS:-100000} records: ${s}s, peak RSS $(mb "$rss") MB (target < 3 s, < 200 MB)"
  if [ -n "${DLQ_SINGLE:-}" ]; then
    # The worst case: every record its own batch (tansu serves each batch separately).
    "$BENCH" dlq-seed --bootstrap "127.0.0.1:$PORT" --topic bench-dlq-single --records "${DLQ_RECORDS:-100000}" --size 1000 --batch-bytes 0
    read -r k1 _ < <(RUNS=1 median_run env LD_LIBRARY_PATH="$KAFKAOPS_RDKAFKA_LIBDIR" kcat -b "127.0.0.1:$PORT" -X enable.metrics.push=false \
      -C -t bench-dlq-single -o beginning -e -q)
    read -r s rss < <(RUNS=1 median_run "$BIN" dlq summary bench-dlq-single --bootstrap "127.0.0.1:$PORT" --timeout 120)
    echo "one record per batch: kcat reads all in ${k1}s; kafkaops dlq summary ${s}s, peak RSS $(mb "$rss") MB"
  fi
  printf 'min_replication_factor: 1\nmin_insync_replicas: 1\nrequire_rf_above_min_isr: false\n' > /tmp/kafkaops-bench-policy.yaml
  "$BIN" topic create bench-replayed --bootstrap "127.0.0.1:$PORT" --partitions 1 --replication-factor 1 \
    --policy /tmp/kafkaops-bench-policy.yaml >/dev/null
  local n=20000
  local t0 t1
  t0=$(date +%s.%N)
  XDG_STATE_HOME=/tmp/kafkaops-bench-state "$BIN" dlq replay bench-dlq --to bench-replayed --limit $n --bootstrap "127.0.0.1:$PORT" \
    --timeout 120 --execute --output json > /tmp/kafkaops-bench-replay.json
  t1=$(date +%s.%N)
  python3 - "$t0" "$t1" <<'PY'
import json, sys
r = json.load(open("/tmp/kafkaops-bench-replay.json"))
secs = float(sys.argv[2]) - float(sys.argv[1])
print(f"kafkaops dlq replay of {r['written']} records (read, plan, produce with acks=all): {secs:.2f}s, "
      f"{r['written']/secs:.0f} records/s end to end (target >= 5,000/s)")
PY
  cleanup; TANSU_PID=""
}

# The console's DLQ browser: `:dlq TOPIC` to the first page of 100 records on screen (target 300 ms).
bench_dlq_console() {
  start_tansu
  echo "== console DLQ browser: tansu on 127.0.0.1:$PORT"
  "$BENCH" dlq-seed --bootstrap "127.0.0.1:$PORT" --topic bench-dlq-console --records "${DLQ_CONSOLE_RECORDS:-10000}" --size 1000
  "$BENCH" dlq-console --bootstrap "127.0.0.1:$PORT" --topic bench-dlq-console
  cleanup; TANSU_PID=""
}

bench_tui() {
  echo "== console"
  "$BENCH" tui-frames
  python3 "$ROOT/scripts/bench-tui.py" "$BIN" "$BENCH"
}

# peak_rss CMD...: runs CMD RUNS times under /usr/bin/time, a small C parent, so the figure is
# the command's own (median_run's ru_maxrss also counts the Python parent it was forked from,
# which matters for a process this small); prints the highest peak RSS in KB.
peak_rss() {
  local out; out=$(mktemp)
  for _ in $(seq 1 "$RUNS"); do /usr/bin/time -a -o "$out" -f '%M' "$@" >/dev/null; done
  sort -n "$out" | tail -1
  rm -f "$out"
}

bench_package() {
  echo "== package: size and start-up"
  local deb tgz dir bin
  { read -r deb; read -r tgz; } < <(bash "$ROOT/scripts/package.sh")
  dir=$(mktemp -d); tar -xzf "$tgz" -C "$dir"
  bin=$(echo "$dir"/*/bin/kafkaops)
  # What the shared libraries alone cost: an empty C program that needs the same libraries.
  printf 'int main(void) { return 0; }\n' > "$dir/empty.c"
  # shellcheck disable=SC2046
  cc -o "$dir/empty" "$dir/empty.c" -Wl,--no-as-needed \
    $(readelf -d "$bin" | sed -n 's/.*NEEDED.*\[lib\([^.]*\)\.so.*\]/-l\1/p' | grep -v -e '^-lc$' -e '^-lld-linux')
  RUNS=${RUNS_VERSION:-21}
  read -r ver_s _ < <(median_run "$bin" --version)
  read -r empty_s _ < <(median_run "$dir/empty")
  ver_rss=$(peak_rss "$bin" --version)
  empty_rss=$(peak_rss "$dir/empty")
  printf '%-40s %12s\n' "stripped binary (bytes)" "$(stat -c %s "$bin")"
  printf '%-40s %12s   (target < 40 MB)\n' ".deb (bytes)" "$(stat -c %s "$deb")"
  printf '%-40s %12s\n' ".tar.gz (bytes)" "$(stat -c %s "$tgz")"
  printf '%-40s %12s   (target < 0.020; median of %s runs, machine load %s)\n' "kafkaops --version, wall seconds" "$ver_s" "$RUNS" "$(cut -d' ' -f1 /proc/loadavg)"
  printf '%-40s %12s   (target < 20 MB)\n' "kafkaops --version, peak RSS MB" "$(mb "$ver_rss")"
  printf '%-40s %12s   (wall seconds; peak RSS %s MB)\n' "the shared libraries alone" "$empty_s" "$(mb "$empty_rss")"
  rm -rf "$dir"
}

bench_lag() {
  start_tansu
  "$BENCH" timelag-seed --bootstrap "127.0.0.1:$PORT" --groups 50 --partitions 20
  local log; log=$(mktemp)
  "$BENCH" timelag --bootstrap "127.0.0.1:$PORT" 2>"$log"
  local fetches
  fetches=$(sed -n '/=== timestamps start/,/=== timestamps end/p' "$log" | grep -c 'FETCH.*Fetch [0-9]*/[0-9]*/[0-9]* toppar' || true)
  echo "fetch requests for the record timestamps: $fetches (1 broker; O(leaders), not one per partition)"
  rm -f "$log"
  kill "$TANSU_PID" 2>/dev/null || true; TANSU_PID=""
  "$BENCH" history --partitions 10000 --groups 1000
}

bench_probe() {
  start_tansu
  echo "== probe: tansu on 127.0.0.1:$PORT, no --rate, --duration 10s"
  local dir; dir=$(mktemp -d)
  # One broker: a policy that allows the single-replica probe topic.
  printf 'min_replication_factor: 1\nmin_insync_replicas: 1\nrequire_rf_above_min_isr: false\n' > "$dir/policy.yaml"
  XDG_STATE_HOME="$dir" XDG_CONFIG_HOME="$dir" /usr/bin/time -f '%M' -o "$dir/rss" \
    "$BIN" probe --bootstrap "127.0.0.1:$PORT" --create --policy "$dir/policy.yaml" --duration 10s --output json \
    > "$dir/out.json" 2>"$dir/err" || { cat "$dir/err" >&2; exit 1; }
  python3 - "$dir/out.json" "$(cat "$dir/rss")" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{'records/s sustained (sent / 10 s)':40} {r['sent'] / 10:12.0f}   (target >= 5,000)")
print(f"{'acknowledged / received / lost':40} {r['acknowledged']:>12} / {r['received']} / {r['lost']}")
for k in ('ack_ms', 'e2e_ms'):
    v = r[k]
    print(f"{k + ' p50 / p99 / max':40} {v['p50']:12.1f} / {v['p99']:.1f} / {v['max']:.1f}")
print(f"{'peak RSS MB':40} {int(sys.argv[2]) / 1024:12.1f}")
PY
  # The console's probe screen at its default rate (10 records/s) on the topic just created: the
  # console process's CPU time over 20 s of wall time.
  local session="kafkaops-bench-probe-$$"
  tmux new-session -d -s "$session" -x 80 -y 24 \
    "XDG_STATE_HOME='$dir' XDG_CONFIG_HOME='$dir' '$BIN' --bootstrap 127.0.0.1:$PORT"
  sleep 3
  tmux send-keys -t "$session" ':'; tmux send-keys -t "$session" -l 'probe'; tmux send-keys -t "$session" Enter
  sleep 4
  # The console itself (the tmux server's command line names it too).
  local pid p; pid=""
  for p in $(pgrep -f "$BIN --bootstrap 127.0.0.1:$PORT"); do
    [ "$(cat "/proc/$p/comm")" = kafkaops ] && pid=$p && break
  done
  [ -n "$pid" ] || { echo "the console did not start" >&2; exit 1; }
  local t1 t2; t1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  sleep 20
  t2=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  tmux capture-pane -p -t "$session" | grep -q "Refused: none" || echo "warning: the probe screen did not show its table" >&2
  tmux kill-session -t "$session" 2>/dev/null || true
  python3 -c "import os,sys; print(f\"{'console probe screen CPU % (20 s)':40} {(int(sys.argv[2]) - int(sys.argv[1])) / os.sysconf('SC_CLK_TCK') / 20 * 100:12.1f}   (target < 5 %)\")" "$t1" "$t2"
  rm -rf "$dir"
  kill "$TANSU_PID" 2>/dev/null || true; TANSU_PID=""
}

bench_schemas() {
  start_tansu
  local n=${SCHEMA_RECORDS:-100000} py="$ROOT/.cache/venv-broker/bin/python3" b="127.0.0.1:$PORT"
  local dir; dir=$(mktemp -d)
  "$py" "$ROOT/Tests/TestSupport/schema_registry.py" --port-file "$dir/port" & local reg=$!
  for _ in $(seq 1 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
  local url="http://127.0.0.1:$(cat "$dir/port")"
  echo "== schemas: tansu on $b, registry $url, $n records"
  "$py" "$ROOT/scripts/bench-schemas.py" produce "$b" "$url" bench-avro "$n" avro
  "$py" "$ROOT/scripts/bench-schemas.py" produce "$b" "$url" bench-json "$n" json
  read -r sa rssa < <(RUNS=3 median_run "$BIN" dlq summary bench-avro --bootstrap "$b" --timeout 120)
  read -r sj rssj < <(RUNS=3 median_run "$BIN" dlq summary bench-json --bootstrap "$b" --timeout 120)
  echo "dlq summary: Avro ${sa}s (RSS $(mb "$rssa") MB), JSON ${sj}s (RSS $(mb "$rssj") MB), ratio $(python3 -c "print(round($sa/$sj,2))") (target <= 1.5)"
  read -r sc rssc < <(RUNS=3 median_run "$BIN" consume bench-avro --last "$n" -o jsonl --bootstrap "$b" --schema-registry "$url" --timeout 120)
  local py_s; py_s=$("$py" "$ROOT/scripts/bench-schemas.py" consume "$b" "$url" bench-avro "$n")
  echo "consume --last $n (Avro, decoded, whole process): kafkaops ${sc}s (RSS $(mb "$rssc") MB); confluent-kafka + AvroDeserializer ${py_s}s (reading only)"
  local secs=${FOLLOW_SECONDS:-600}
  "$BIN" consume bench-avro --follow -o jsonl --bootstrap "$b" --schema-registry "$url" > /dev/null & local f=$!
  "$py" "$ROOT/scripts/bench-schemas.py" rate "$b" "$url" bench-avro 5000 "$secs" & local prod=$!
  local peak=0 r
  while kill -0 "$prod" 2>/dev/null; do
    r=$(awk '/VmRSS/{print $2}' "/proc/$f/status" 2>/dev/null || echo 0); [ "${r:-0}" -gt "$peak" ] && peak=$r; sleep 5
  done
  kill -INT "$f"; wait "$f" || true
  echo "consume --follow at 5,000 records/s for ${secs}s: peak RSS $(mb "$peak") MB (target < 100 MB)"
  kill "$reg" 2>/dev/null || true; rm -rf "$dir"
}

bench_watch() {
  local bin=${WATCH_BIN:-$BIN} port log pid
  port=$(free_port); log=$(mktemp)
  echo "== kafkaops watch: 10,000 partitions, 1,000 groups (demo cluster), $bin"
  KAFKAOPS_DEMO_SCENARIO=scaled:1000:10:1000 "$bin" watch --demo --metrics-listen "127.0.0.1:$port" --interval 10s 2>"$log" &
  pid=$!
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/metrics" | grep -q '^kafkaops_refresh_duration_seconds' && break
    sleep 0.2
  done
  python3 - "$port" "${SCRAPES:-200}" "$pid" <<'PY'
import subprocess, sys, time
port, n, pid = sys.argv[1], int(sys.argv[2]), sys.argv[3]
url = f"http://127.0.0.1:{port}/metrics"
def run(accept):
    times, size = [], 0
    for _ in range(n):
        t0 = time.perf_counter()
        body = subprocess.run(["curl", "-sf", "-H", f"Accept: {accept}", url], capture_output=True, check=True).stdout
        times.append(time.perf_counter() - t0); size = len(body)
    times.sort()
    return times[len(times) // 2] * 1000, times[-1] * 1000, size, body
for name, accept in [("text 0.0.4", "text/plain"), ("OpenMetrics", "application/openmetrics-text; version=1.0.0")]:
    med, worst, size, body = run(accept)
    series = sum(1 for l in body.decode().splitlines() if l and not l.startswith("#"))
    print(f"scrape ({name}, curl, {n} runs): median {med:.1f} ms, worst {worst:.1f} ms; {size/1024:.0f} KiB, {series} series (target < 50 ms)")
    refresh = [l for l in body.decode().splitlines() if l.startswith("kafkaops_refresh_duration_seconds")]
print("refresh duration (last):", refresh[0].split()[-1] if refresh else "?", "s")
status = open(f"/proc/{pid}/status").read().splitlines()
mem = {l.split(":")[0]: l.split(":")[1].strip() for l in status if l.startswith(("VmRSS", "VmHWM"))}
print(f"resident memory after the scrapes: VmRSS {mem.get('VmRSS')}, peak VmHWM {mem.get('VmHWM')}")
PY
  kill -TERM "$pid"; wait "$pid" || true
  rm -f "$log"
}

case "$WHAT" in
  cli) bench_cli ;;
  watch) bench_watch ;;
  probe) bench_probe ;;
  lag) bench_lag ;;
  audit) bench_audit ;;
  reset) bench_reset ;;
  dlq) bench_dlq ;;
  dlq-console) bench_dlq_console ;;
  tui) bench_tui ;;
  package) bench_package ;;
  schemas) bench_schemas ;;
  all) bench_cli; bench_lag; bench_audit; bench_reset; bench_tui; bench_dlq; bench_dlq_console; bench_probe; bench_watch ;;
  *) echo "usage: scripts/bench.sh [cli|lag|audit|reset|dlq|dlq-console|tui|probe|package|schemas|watch|all]" >&2; exit 2 ;;
esac
