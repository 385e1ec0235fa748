#!/usr/bin/env bash
# On-demand HL7-over-MLLP benchmark of Ferry (not part of .ci/test).
#
#   bash tests/bench/run.sh                 # every scenario (~6 minutes here, plus the build)
#   BENCH_ONLY="disk-4x32 npm-8sync" bash tests/bench/run.sh
#
# Builds build-bench/ (Release, -DFERRY_BUILD_BENCH=ON -DFERRY_BUILD_TESTS=OFF),
# then for each scenario starts a fresh `ferry run` (mllp.listener on a free
# 127.0.0.1 port -> file.writer appending to one file, fsync false; the store
# in a temp dir) pinned to CPU 0, and drives it with ferry_mllp_load pinned to
# CPU 1. Results: build-bench/bench-results/<time>/ (results.jsonl, one .out
# per scenario, summary.md). Every loop and wait is bounded; every process
# started here is killed on exit. Traffic goes to 127.0.0.1 only.
#
# Knobs (environment):
#   BENCH_ONLY             scenarios to run (default: all, in this order):
#                          disk-4x32 disk-8sync disk-1sync process-8sync process-1sync
#                          e2e-delivered rss half-load npm-8sync
#   BENCH_SECONDS=20       sending time of each throughput scenario
#   BENCH_WARMUP=3         seconds of warm-up traffic (not reported) before each
#   BENCH_E2E_COUNT=200000 messages of the end-to-end (delivered) scenario
#   BENCH_RSS_COUNT=1000000, BENCH_RSS_MAX_SECONDS=120
#                          the RSS scenario sends BENCH_RSS_COUNT messages, or
#                          fewer if the measured disk-4x32 rate cannot send them
#                          within BENCH_RSS_MAX_SECONDS (the summary says so)
#   BENCH_HALF_RATE        msg/s for half-load (default: half of disk-4x32's rate)
#   BENCH_NPM_VERSION=3.3.0  simple-hl7 version for the npm comparison
#   BENCH_SKIP_BUILD=1     use build-bench/ as it is
#   BENCH_ENGINE_CPU=0, BENCH_LOAD_CPU=1
#   BENCH_KEEP=1           keep the temp dir (configs, stores, logs)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD="$ROOT/build-bench"
SECONDS_PER=${BENCH_SECONDS:-20}
WARMUP=${BENCH_WARMUP:-3}
E2E_COUNT=${BENCH_E2E_COUNT:-200000}
RSS_COUNT=${BENCH_RSS_COUNT:-1000000}
RSS_MAX_SECONDS=${BENCH_RSS_MAX_SECONDS:-120}
NPM_VERSION=${BENCH_NPM_VERSION:-3.3.0}
ENGINE_CPU=${BENCH_ENGINE_CPU:-0}
LOAD_CPU=${BENCH_LOAD_CPU:-1}
ALL="disk-4x32 disk-8sync disk-1sync process-8sync process-1sync e2e-delivered rss half-load npm-8sync"
ONLY=${BENCH_ONLY:-$ALL}

BENCH_TAG="bench"
source "$ROOT/tests/bench/lib.sh"

for tool in cmake ninja taskset python3; do command -v "$tool" >/dev/null || die "$tool is missing"; done

# ------------------------------------------------------------------ build
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  grep -q 'FERRY_BUILD_BENCH' "$ROOT/CMakeLists.txt" ||
    die "the top-level CMakeLists.txt has no FERRY_BUILD_BENCH option (see docs/performance.md)"
  say "building $BUILD (Release)"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFERRY_BUILD_BENCH=ON -DFERRY_BUILD_TESTS=OFF >/dev/null
  ninja -C "$BUILD" -j2 ferry mllp file ferry_mllp_load >/dev/null
  # What the binaries were built from (the tree may change while others work).
  { echo "built $(date -Is) from commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    git -C "$ROOT" status --short -- host plugins sdk 2>/dev/null | sed 's/^/  uncommitted: /'; } >"$BUILD/bench-build-state.txt"
fi
FERRY="$BUILD/bin/ferry"
LOAD="$BUILD/bin/ferry_mllp_load"
[ -x "$FERRY" ] && [ -x "$LOAD" ] && [ -f "$BUILD/plugins/mllp.so" ] && [ -f "$BUILD/plugins/file.so" ] ||
  die "build outputs missing in $BUILD"

# ------------------------------------------------------------------ housekeeping
bench_workspace ferry-bench ""



# start_engine <name> <durability>: fresh data dir and config; sets EPID, PORT, DIR, OUTFILE.
start_engine() {
  DIR="$TMP/$1"
  mkdir -p "$DIR"
  PORT=$(free_port)
  OUTFILE="$DIR/out/adt.hl7"
  cat >"$DIR/ferry.json" <<JSON
{
  "engine": {"data_dir": "$DIR/var", "durability": "$2", "log_level": "info",
             "plugin_dirs": ["$BUILD/plugins"]},
  "plugins": ["mllp", "file"],
  "channels": [{
    "id": "adt",
    "source": {"type": "mllp.listener", "config": {"host": "127.0.0.1", "port": $PORT}},
    "destinations": [{"id": "out", "type": "file.writer",
                      "config": {"directory": "$DIR/out", "filename": "adt.hl7", "mode": "append", "fsync": false}}]
  }]
}
JSON
  taskset -c "$ENGINE_CPU" "$FERRY" run -c "$DIR/ferry.json" >"$DIR/ferry.log" 2>&1 &
  EPID=$!
  PIDS+=("$EPID")
  wait_for 30 grep -qs "listening for MLLP" "$DIR/ferry.log" || die "ferry did not start: $(tail -5 "$DIR/ferry.log")"
}


FAILED=()
# load <scenario> <extra json> <loadgen args...>: runs ferry_mllp_load pinned
# to LOAD_CPU against PORT/EPID, keeps its output, appends its JSON line
# (with the scenario name, durability and load average) to results.jsonl.
load() {
  local name=$1 extra=$2; shift 2
  local out="$RESULTS/$name.out" before after rc=0
  before=$(loadavg)
  taskset -c "$LOAD_CPU" "$LOAD" --port "$PORT" --pid "$EPID" --server-cpu "$ENGINE_CPU" --label "$name" "$@" >"$out" 2>&1 &
  local lpid=$!
  PIDS+=("$lpid")
  wait "$lpid" || rc=$?
  after=$(loadavg)
  grep -v '^{' "$out" >&2 || true
  local json
  json=$(grep '^{' "$out" | tail -1 || true)
  [ -n "$json" ] || { FAILED+=("$name"); say "$name: no result (exit $rc)"; return 0; }
  python3 - "$json" "$extra" "$before" "$after" >>"$RESULTS/results.jsonl" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); r.update(json.loads(sys.argv[2]))
r["scenario"] = r["label"]; r["loadavg_before"] = sys.argv[3]; r["loadavg_after"] = sys.argv[4]
print(json.dumps(r))
PY
  [ "$rc" -eq 0 ] || { FAILED+=("$name"); say "$name: FAILED (exit $rc)"; }
}

field() {  # field <scenario> <key>: a value from results.jsonl (empty if none)
  python3 - "$RESULTS/results.jsonl" "$1" "$2" <<'PY'
import json, sys
try:
    rows = [json.loads(l) for l in open(sys.argv[1])]
except FileNotFoundError:
    rows = []
v = [r.get(sys.argv[3]) for r in rows if r.get("scenario") == sys.argv[2]]
print("" if not v or v[-1] is None else v[-1])
PY
}

warmup() {
  taskset -c "$LOAD_CPU" "$LOAD" --port "$PORT" --connections 4 --window 8 --duration "$WARMUP" --label warmup >/dev/null 2>&1 ||
    say "warm-up run failed"
  # Let the warm-up messages reach the destination file first, so the
  # measured run starts idle and --delivered-file counts only its own.
  local prev=-1 cur
  for _ in $(seq 300); do
    cur=$(stat -c %s "$OUTFILE" 2>/dev/null || echo 0)
    [ "$cur" = "$prev" ] && return 0
    prev=$cur
    sleep 0.5
  done
  say "the destination file still grows 150 s after the warm-up"
}

# ferry_scenario <name> <durability> <loadgen args...>
ferry_scenario() {
  local name=$1 durability=$2; shift 2
  wants "$name" || return 0
  say "== $name (durability $durability): $*"
  start_engine "$name" "$durability"
  warmup
  load "$name" "{\"server\":\"ferry\",\"durability\":\"$durability\"}" "$@"
  stop_process "$EPID"
  grep -E 'level=(warn|error)' "$DIR/ferry.log" | head -5 >&2 || true
}

# ------------------------------------------------------------------ machine
{
  echo "date: $(date -Is)"
  echo "engine build: $(cat "$BUILD/bench-build-state.txt" 2>/dev/null || echo "unknown (binary from $(date -r "$FERRY" -Is))")"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "kernel: $(uname -r)"
  echo "memory: $(grep MemTotal /proc/meminfo | tr -s ' ')"
  echo "disk: $(df -h "$TMP" | tail -1 | tr -s ' ')"
  # What one commit at durability "disk" costs here: append 4 KiB + fdatasync.
  echo "fdatasync (4 KiB appends, 200x, in $TMP): $(python3 - "$TMP/fsync.test" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
t = []
for _ in range(200):
    os.write(fd, b"x" * 4096)
    a = time.perf_counter(); os.fdatasync(fd); t.append((time.perf_counter() - a) * 1000)
os.close(fd); os.unlink(sys.argv[1])
t.sort()
print(f"median {t[100]:.2f} ms, p90 {t[180]:.2f} ms, max {t[-1]:.2f} ms")
PY
)"
  echo "loadavg at start: $(loadavg)"
} | tee "$RESULTS/machine.txt" >&2

# ------------------------------------------------------------------ scenarios
ferry_scenario disk-4x32 disk --connections 4 --window 32 --duration "$SECONDS_PER"
ferry_scenario disk-8sync disk --connections 8 --window 1 --duration "$SECONDS_PER"
ferry_scenario disk-1sync disk --connections 1 --window 1 --duration "$SECONDS_PER"
ferry_scenario process-8sync process --connections 8 --window 1 --duration "$SECONDS_PER"
ferry_scenario process-1sync process --connections 1 --window 1 --duration "$SECONDS_PER"
# End to end: every message must reach the destination file; delivered msg/s
# counts from the first send until the file holds the last byte.
ferry_scenario e2e-delivered disk --connections 4 --window 32 --count "$E2E_COUNT" \
  --delivered-file "$TMP/e2e-delivered/out/adt.hl7" --delivered-timeout 600

MAX_RATE=$(field disk-4x32 msgs_per_s)
if wants rss; then
  count=$RSS_COUNT
  if [ -n "$MAX_RATE" ]; then
    fit=$(python3 -c "print(int(float('$MAX_RATE') * $RSS_MAX_SECONDS))")
    [ "$fit" -lt "$count" ] && count=$fit
  fi
  [ "$count" -lt "$RSS_COUNT" ] && say "rss: $RSS_COUNT messages would take over $RSS_MAX_SECONDS s at $MAX_RATE msg/s; sending $count"
  echo "$count" >"$RESULTS/rss_count.txt"
  ferry_scenario rss disk --connections 4 --window 32 --count "$count" --max-seconds 1800 \
    --delivered-file "$TMP/rss/out/adt.hl7" --delivered-timeout 900
fi

if wants half-load; then
  rate=${BENCH_HALF_RATE:-}
  [ -z "$rate" ] && [ -n "$MAX_RATE" ] && rate=$(python3 -c "print(int(float('$MAX_RATE') / 2))")
  if [ -n "$rate" ] && [ "$rate" -gt 0 ]; then
    ferry_scenario half-load disk --connections 4 --window 32 --rate "$rate" --duration "$SECONDS_PER"
  else
    say "half-load skipped: no disk-4x32 rate (run it too, or set BENCH_HALF_RATE)"
  fi
fi

# The npm comparison: simple-hl7's MLLP server (it stores nothing, it only
# answers AA), same load generator, 8 synchronous connections. simple-hl7
# answers one ACK per TCP read, so it cannot take pipelined frames.
if wants npm-8sync; then
  say "== npm-8sync (simple-hl7@$NPM_VERSION)"
  NPMDIR="${BENCH_NPM_DIR:-$TMP/npm}"
  mkdir -p "$NPMDIR"
  if command -v node >/dev/null && command -v npm >/dev/null &&
     (cd "$NPMDIR" && [ -d node_modules/simple-hl7 ] ||
      timeout 300 npm install --prefix "$NPMDIR" --no-audit --no-fund --no-save "simple-hl7@$NPM_VERSION" >"$NPMDIR/install.log" 2>&1); then
    cat >"$NPMDIR/server.js" <<'JS'
// simple-hl7's MLLP server: every message is answered with the AA ACK that
// simple-hl7 builds (MSA-2 = the message's MSH-10). Nothing is stored.
const hl7 = require('simple-hl7');
const port = Number(process.argv[2]);
const app = hl7.tcp();
app.use((req, res, next) => res.end());
app.use((err, req, res, next) => { console.error('server error:', err && err.message); });
app.start(port);
console.log('listening on ' + port);
JS
    PORT=$(free_port)
    (cd "$NPMDIR" && exec taskset -c "$ENGINE_CPU" node server.js "$PORT") >"$NPMDIR/server.log" 2>&1 &
    EPID=$!
    PIDS+=("$EPID")
    wait_for 30 grep -qs "listening on" "$NPMDIR/server.log" || die "npm server did not start: $(tail -5 "$NPMDIR/server.log")"
    taskset -c "$LOAD_CPU" "$LOAD" --port "$PORT" --connections 8 --window 1 --duration "$WARMUP" --label warmup >/dev/null 2>&1 || true
    load npm-8sync "{\"server\":\"simple-hl7@$NPM_VERSION\",\"node\":\"$(node --version)\"}" --connections 8 --window 1 --duration "$SECONDS_PER"
    stop_process "$EPID"
  else
    say "npm-8sync skipped: node/npm missing or 'npm install simple-hl7@$NPM_VERSION' failed (see $NPMDIR/install.log)"
  fi
fi
echo "loadavg at end: $(loadavg)" | tee -a "$RESULTS/machine.txt" >&2

# ------------------------------------------------------------------ summary
python3 - "$RESULTS" <<'PY' | tee "$RESULTS/summary.md"
import json, os, sys
res = sys.argv[1]
rows = {}
if os.path.exists(f"{res}/results.jsonl"):
    for line in open(f"{res}/results.jsonl"):
        r = json.loads(line); rows[r["scenario"]] = r
def g(name, key):
    return rows.get(name, {}).get(key)
def num(v, fmt="{:,.0f}"):
    return "-" if v is None else fmt.format(v)
out = []
out.append("| scenario | target | measured | p50 / p99 / max ms | server CPU us/msg | server peak RSS | load avg (1/5/15 min) | others on server CPU | verdict |")
out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
def line(name, target, measured, ok):
    r = rows.get(name)
    if r is None:
        out.append(f"| {name} | {target} | not run | | | | | | |"); return
    lat = f"{r['p50_ms']:.2f} / {r['p99_ms']:.2f} / {r['max_ms']:.1f}"
    cpu = num(r.get("server_cpu_us_per_msg"), "{:.1f}")
    hwm = r.get("server_vmhwm_kb_delivered") or r.get("server_vmhwm_kb")
    rss = "-" if hwm is None else f"{hwm/1024:.1f} MiB"
    verdict = "FAIL (ACK errors)" if not r["pass"] else ("met" if ok else "missed")
    others = num(r.get("server_cpu_others_pct"), "{:.0f}%")
    out.append(f"| {name} | {target} | {measured} | {lat} | {cpu} | {rss} | {r['loadavg_before']} | {others} | {verdict} |")
def thr(name, target):
    v = g(name, "msgs_per_s")
    line(name, f">= {target:,} msg/s", f"{num(v)} msg/s", v is not None and v >= target)
thr("disk-4x32", 100000)
thr("disk-8sync", 20000)
thr("disk-1sync", 3000)
thr("process-8sync", 150000)
thr("process-1sync", 11000)
v = g("e2e-delivered", "delivered_msgs_per_s")
line("e2e-delivered", ">= 50,000 delivered msg/s", f"{num(v)} delivered msg/s ({num(g('e2e-delivered','msgs_per_s'))} ACKed msg/s)",
     v is not None and v >= 50000)
r = rows.get("rss")
if r:
    sent = r["acked_ok"]
    after = r.get("server_vmrss_kb_delivered") or r.get("server_vmrss_kb")
    hwm = r.get("server_vmhwm_kb_delivered") or r.get("server_vmhwm_kb")
    note = "" if sent >= 1000000 else f" after {sent:,} messages (1M did not fit in the time box)"
    line("rss", "< 50 MB after 1M msgs", f"RSS {after/1024:.1f} MiB, peak {hwm/1024:.1f} MiB{note}", hwm * 1024 < 50e6)
else:
    line("rss", "< 50 MB after 1M msgs", "", False)
r = rows.get("half-load")
if r:
    line("half-load", "p99 < 2 ms at half max load", f"p99 {r['p99_ms']:.2f} ms at {r['msgs_per_s']:,.0f} msg/s (asked {r['rate_asked']:,.0f})",
         r["p99_ms"] < 2)
else:
    line("half-load", "p99 < 2 ms at half max load", "", False)
npm = g("npm-8sync", "msgs_per_s")
if npm:
    line("npm-8sync", "comparison", f"{npm:,.0f} msg/s ({g('npm-8sync','server')}, Node {g('npm-8sync','node')})", True)
out.append("")
for name in ("disk-8sync", "process-8sync"):
    f = g(name, "msgs_per_s")
    if f and npm:
        out.append(f"Ratio Ferry ({g(name,'durability')}, 8 sync) / npm simple-hl7 (8 sync, stores nothing): {f/npm:.2f}")
print("\n".join(out))
PY
say "results in $RESULTS"
if [ ${#FAILED[@]} -gt 0 ]; then
  say "runs with ACK errors or failures: ${FAILED[*]}"
  exit 1
fi
