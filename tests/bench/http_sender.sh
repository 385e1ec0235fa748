#!/usr/bin/env bash
# On-demand benchmark: HL7 v2 over MLLP into Ferry, out through http.sender
# to a local HTTP server (not part of .ci/test). Companion of run.sh, same
# conventions: engine pinned to one CPU, load generator and HTTP sink to the
# other, every wait bounded, every process started here killed on exit,
# traffic on 127.0.0.1 only.
#
#   bash tests/bench/http_sender.sh
#   BENCH_ONLY="http-e2e" BENCH_HTTP_COUNT=100000 bash tests/bench/http_sender.sh
#
# Scenarios (BENCH_ONLY, default all, in this order):
#   file-e2e       mllp.listener -> file.writer (append, no fsync): the baseline
#                  measured in the same conditions
#   http-e2e       mllp.listener -> http.sender -> ferry_http_sink; 4 connections
#                  x window 32, BENCH_HTTP_COUNT messages; delivered msg/s counts
#                  until the sink has written every body (--delivered-file)
#   http-8sync-delivered
#                  the same with response.when "delivered": each ACK waits for
#                  the HTTP answer; 8 synchronous connections for BENCH_SECONDS;
#                  ACK latency = MLLP in + store + HTTP round trip + store
# Knobs: BENCH_HTTP_COUNT=50000, BENCH_SECONDS=20, BENCH_WARMUP=3,
#   BENCH_BUILD=<repo>/build-bench (Release, -DFERRY_BUILD_BENCH=ON),
#   BENCH_SKIP_BUILD=1, BENCH_ENGINE_CPU=0, BENCH_LOAD_CPU=1, BENCH_KEEP=1.
# Results: $BENCH_BUILD/bench-results/http-sender-<time>/ (results.jsonl, one .out
# per scenario, summary.md).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build-bench}
COUNT=${BENCH_HTTP_COUNT:-50000}
SECONDS_PER=${BENCH_SECONDS:-20}
WARMUP=${BENCH_WARMUP:-3}
ENGINE_CPU=${BENCH_ENGINE_CPU:-0}
LOAD_CPU=${BENCH_LOAD_CPU:-1}
ONLY=${BENCH_ONLY:-"file-e2e http-e2e http-8sync-delivered"}

BENCH_TAG="bench-http"
source "$ROOT/tests/bench/lib.sh"
for tool in cmake ninja taskset python3; do command -v "$tool" >/dev/null || die "$tool is missing"; done

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  say "building $BUILD (Release)"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFERRY_BUILD_BENCH=ON -DFERRY_BUILD_TESTS=OFF >/dev/null
  ninja -C "$BUILD" -j2 ferry mllp file http ferry_mllp_load ferry_http_sink >/dev/null
  { echo "built $(date -Is) from commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    git -C "$ROOT" status --short -- host plugins sdk 2>/dev/null | sed 's/^/  uncommitted: /'; } >"$BUILD/bench-build-state-http-sender.txt"
fi
FERRY="$BUILD/bin/ferry"
LOAD="$BUILD/bin/ferry_mllp_load"
SINK="$BUILD/bin/ferry_http_sink"
for f in "$FERRY" "$LOAD" "$SINK" "$BUILD/plugins/mllp.so" "$BUILD/plugins/http.so" "$BUILD/plugins/file.so"; do
  [ -e "$f" ] || die "build output missing: $f"
done

bench_workspace ferry-bench-http http-sender-

# Wait until a file stops growing (bounded), so a measured run starts idle.
settle() {
  local prev=-1 cur
  for _ in $(seq 300); do
    cur=$(stat -c %s "$1" 2>/dev/null || echo 0)
    [ "$cur" = "$prev" ] && return 0
    prev=$cur
    sleep 0.5
  done
  say "$1 still grows 150 s after the warm-up"
}

# start <name> <destination json> <response json>: a sink (for http), then the
# engine; sets DIR, PORT, EPID, OUTFILE.
start() {
  DIR="$TMP/$1"
  mkdir -p "$DIR/out"
  local dest=$2
  if [[ "$dest" == *http.sender* ]]; then
    OUTFILE="$DIR/out/bodies.hl7"
    taskset -c "$LOAD_CPU" "$SINK" --port-file "$DIR/sink.port" --out "$OUTFILE" >"$DIR/sink.log" 2>&1 &
    SPID=$!
    PIDS+=("$SPID")
    wait_for 10 test -s "$DIR/sink.port" || die "sink did not start: $(cat "$DIR/sink.log")"
    dest=${dest//@SINK@/$(cat "$DIR/sink.port")}
  else
    OUTFILE="$DIR/out/adt.hl7"
    SPID=""
    dest=${dest//@DIR@/$DIR}
  fi
  PORT=$(free_port)
  cat >"$DIR/ferry.json" <<JSON
{
  "engine": {"data_dir": "$DIR/var", "durability": "disk", "log_level": "info", "plugin_dirs": ["$BUILD/plugins"]},
  "plugins": ["mllp", "file", "http"],
  "channels": [{
    "id": "adt",
    "source": {"type": "mllp.listener", "config": {"host": "127.0.0.1", "port": $PORT}},
    "response": $3,
    "destinations": [$dest]
  }]
}
JSON
  taskset -c "$ENGINE_CPU" "$FERRY" run -c "$DIR/ferry.json" >"$DIR/ferry.log" 2>&1 &
  EPID=$!
  PIDS+=("$EPID")
  wait_for 30 grep -qs "listening for MLLP" "$DIR/ferry.log" || die "ferry did not start: $(tail -5 "$DIR/ferry.log")"
}

FAILED=()
# run <name> <extra json> <loadgen args...>
run() {
  local name=$1 extra=$2; shift 2
  local out="$RESULTS/$name.out" before after rc=0
  taskset -c "$LOAD_CPU" "$LOAD" --port "$PORT" --connections 4 --window 8 --duration "$WARMUP" --label warmup >/dev/null 2>&1 ||
    say "warm-up run failed"
  settle "$OUTFILE"
  before=$(loadavg)
  taskset -c "$LOAD_CPU" "$LOAD" --port "$PORT" --pid "$EPID" --server-cpu "$ENGINE_CPU" --label "$name" "$@" >"$out" 2>&1 || rc=$?
  after=$(loadavg)
  grep -v '^{' "$out" >&2 || true
  local json
  json=$(grep '^{' "$out" | tail -1 || true)
  if [ -z "$json" ]; then FAILED+=("$name"); say "$name: no result (exit $rc)"; return 0; fi
  python3 - "$json" "$extra" "$before" "$after" >>"$RESULTS/results.jsonl" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); r.update(json.loads(sys.argv[2]))
r["scenario"] = r["label"]; r["loadavg_before"] = sys.argv[3]; r["loadavg_after"] = sys.argv[4]
print(json.dumps(r))
PY
  [ "$rc" -eq 0 ] || { FAILED+=("$name"); say "$name: FAILED (exit $rc)"; }
}

finish() {  # stop the engine (and the sink); keep their last words
  stop_process "$EPID"
  grep -E 'level=(warn|error)' "$DIR/ferry.log" | head -5 >&2 || true
  if [ -n "$SPID" ]; then stop_process "$SPID"; cat "$DIR/sink.log" >&2; fi
}

{
  echo "date: $(date -Is)"
  echo "engine build: $(cat "$BUILD/bench-build-state-http-sender.txt" 2>/dev/null || echo unknown)"
  echo "nproc: $(nproc); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "loadavg at start: $(loadavg)"
} | tee "$RESULTS/machine.txt" >&2

FILE_DEST='{"id": "out", "type": "file.writer", "config": {"directory": "@DIR@/out", "filename": "adt.hl7", "mode": "append", "fsync": false}}'
HTTP_DEST='{"id": "out", "type": "http.sender", "config": {"url": "http://127.0.0.1:@SINK@/adt"}}'
STORED='{"when": "stored"}'
DELIVERED='{"when": "delivered", "timeout_ms": 30000}'

if wants file-e2e; then
  say "== file-e2e: mllp.listener -> file.writer, 4 x 32, $COUNT messages"
  start file-e2e "$FILE_DEST" "$STORED"
  run file-e2e '{"destination":"file.writer"}' --connections 4 --window 32 --count "$COUNT" \
    --delivered-file "$OUTFILE" --delivered-timeout 600
  finish
fi
if wants http-e2e; then
  say "== http-e2e: mllp.listener -> http.sender, 4 x 32, $COUNT messages"
  start http-e2e "$HTTP_DEST" "$STORED"
  run http-e2e '{"destination":"http.sender"}' --connections 4 --window 32 --count "$COUNT" \
    --delivered-file "$OUTFILE" --delivered-timeout 600
  finish
fi
if wants http-8sync-delivered; then
  say "== http-8sync-delivered: ACK after the HTTP answer, 8 synchronous connections, ${SECONDS_PER} s"
  start http-8sync-delivered "$HTTP_DEST" "$DELIVERED"
  run http-8sync-delivered '{"destination":"http.sender","response":"delivered"}' --connections 8 --window 1 \
    --duration "$SECONDS_PER"
  finish
fi
echo "loadavg at end: $(loadavg)" | tee -a "$RESULTS/machine.txt" >&2

python3 - "$RESULTS" <<'PY' | tee "$RESULTS/summary.md"
import json, os, sys
res = sys.argv[1]
rows = {}
if os.path.exists(f"{res}/results.jsonl"):
    for line in open(f"{res}/results.jsonl"):
        r = json.loads(line); rows[r["scenario"]] = r
print("| scenario | ACKed msg/s | delivered msg/s | p50 / p99 / max ms (ACK) | engine CPU us/msg | engine peak RSS | load avg before |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for name in ("file-e2e", "http-e2e", "http-8sync-delivered"):
    r = rows.get(name)
    if not r:
        print(f"| {name} | not run | | | | | |"); continue
    d = r.get("delivered_msgs_per_s")
    cpu = r.get("server_cpu_us_per_msg")
    hwm = r.get("server_vmhwm_kb_delivered") or r.get("server_vmhwm_kb")
    print(f"| {name} | {r['msgs_per_s']:,.0f} | {'-' if d is None else f'{d:,.0f}'} | "
          f"{r['p50_ms']:.2f} / {r['p99_ms']:.2f} / {r['max_ms']:.1f} | {'-' if cpu is None else f'{cpu:.1f}'} | "
          f"{'-' if hwm is None else f'{hwm/1024:.1f} MiB'} | {r['loadavg_before']} |")
PY
say "results in $RESULTS"
if [ ${#FAILED[@]} -gt 0 ]; then
  say "runs with ACK errors or failures: ${FAILED[*]}"
  exit 1
fi
