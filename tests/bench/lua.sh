#!/usr/bin/env bash
# On-demand benchmark of the lua transformer (not part of .ci/test).
#
#   bash tests/bench/lua.sh
#   BENCH_BUILD=build-mine BENCH_E2E_COUNT=50000 bash tests/bench/lua.sh
#
# 1. Builds $BENCH_BUILD (default build-bench/; Release,
#    -DFERRY_BUILD_BENCH=ON -DFERRY_BUILD_TESTS=OFF): ferry, the mllp, file
#    and lua plugins, ferry_mllp_load and ferry_lua_bench.
# 2. ferry_lua_bench: microseconds per message of the script engine alone,
#    per scenario (see tests/bench/lua_transform.cpp); the one-thread
#    scenarios pinned to one CPU, pool-2/shared-2 (and hl7-edit again, for
#    comparison) on both.
# 3. End to end over MLLP: a fresh `ferry run` (mllp.listener -> channel
#    transformers -> file.writer appending to one file, fsync false;
#    durability disk) pinned to CPU 0, driven by ferry_mllp_load pinned to
#    CPU 1 with BENCH_E2E_COUNT messages over 4 connections x window 32,
#    waiting until every message is in the file. Four channels: no
#    transformer; hl7.transform with no rules (a transformer stage that
#    only parses: what any transformer costs the host); lua.transform with
#    a no-op script; lua.transform with a mapping that reads three fields
#    into metadata and rewrites PID-5.1 (the content keeps its length: the
#    load generator counts bytes).
#
# Results: $BENCH_BUILD/bench-results/lua-<time>/ (driver.out, e2e-*.out,
# results.jsonl). Every wait is bounded; every process started here is
# killed on exit. Traffic goes to 127.0.0.1 only.
#
# Knobs: BENCH_MESSAGES=100000 (driver), BENCH_REPEATS=5 (driver),
# BENCH_E2E_COUNT=100000, BENCH_SKIP_BUILD=1, BENCH_ENGINE_CPU=0,
# BENCH_LOAD_CPU=1, BENCH_KEEP=1 (keep the temp dir).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(cd "$ROOT" && realpath -m "${BENCH_BUILD:-build-bench}")
MESSAGES=${BENCH_MESSAGES:-100000}
REPEATS=${BENCH_REPEATS:-5}
E2E_COUNT=${BENCH_E2E_COUNT:-100000}
ENGINE_CPU=${BENCH_ENGINE_CPU:-0}
LOAD_CPU=${BENCH_LOAD_CPU:-1}

BENCH_TAG="lua bench"
source "$ROOT/tests/bench/lib.sh"
for tool in cmake ninja taskset python3; do command -v "$tool" >/dev/null || die "$tool is missing"; done

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  say "building $BUILD (Release)"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFERRY_BUILD_BENCH=ON -DFERRY_BUILD_TESTS=OFF >/dev/null
  ninja -C "$BUILD" -j2 ferry mllp file hl7 lua ferry_mllp_load ferry_lua_bench >/dev/null
fi
FERRY="$BUILD/bin/ferry"
LOAD="$BUILD/bin/ferry_mllp_load"
DRIVER="$BUILD/bin/ferry_lua_bench"
for f in "$FERRY" "$LOAD" "$DRIVER" "$BUILD/plugins/mllp.so" "$BUILD/plugins/file.so" "$BUILD/plugins/hl7.so" "$BUILD/plugins/lua.so"; do
  [ -e "$f" ] || die "missing $f"
done

bench_workspace ferry-lua-bench lua-


{
  echo "date: $(date -Is)"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), nproc $(nproc)"
  echo "lua: $(pkg-config --modversion lua5.4-c++ 2>/dev/null || echo unknown) (liblua5.4-c++)"
  echo "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$RESULTS/machine.txt" >&2

# ------------------------------------------------------------------ driver
say "ferry_lua_bench --messages $MESSAGES --repeats $REPEATS (CPU $LOAD_CPU)"
taskset -c "$LOAD_CPU" "$DRIVER" --messages "$MESSAGES" --repeats "$REPEATS" \
  --only noop,hl7-read,hl7-edit,json-edit,cxx-hl7-edit,fresh-state | tee "$RESULTS/driver.out" | grep -v '^{' >&2
say "ferry_lua_bench, two threads (CPUs $ENGINE_CPU,$LOAD_CPU)"
taskset -c "$ENGINE_CPU,$LOAD_CPU" "$DRIVER" --messages "$MESSAGES" --repeats "$REPEATS" \
  --only hl7-edit,pool-2,shared-2 | tee -a "$RESULTS/driver.out" | grep -v '^{' >&2

# ------------------------------------------------------------------ end to end
MAP_SCRIPT='function transform(msg)
  msg.meta.mrn = msg:get("PID-3.1")
  msg.meta.event = msg:get("MSH-9.2")
  msg.meta.family = msg:get("PID-5.1")
  msg:set("PID-5.1", msg.meta.family:upper())
end'

# e2e <name> <transformers JSON>
e2e() {
  local name=$1 dir="$TMP/$1" port
  mkdir -p "$dir"
  port=$(free_port)
  cat >"$dir/ferry.json" <<JSON
{
  "engine": {"data_dir": "$dir/var", "durability": "disk", "log_level": "info", "plugin_dirs": ["$BUILD/plugins"]},
  "plugins": ["mllp", "file", "hl7", "lua"],
  "channels": [{
    "id": "adt",
    "source": {"type": "mllp.listener", "config": {"host": "127.0.0.1", "port": $port}},
    "transformers": $2,
    "destinations": [{"id": "out", "type": "file.writer",
                      "config": {"directory": "$dir/out", "filename": "adt.hl7", "mode": "append", "fsync": false}}]
  }]
}
JSON
  taskset -c "$ENGINE_CPU" "$FERRY" run -c "$dir/ferry.json" >"$dir/ferry.log" 2>&1 &
  local epid=$!
  PIDS+=("$epid")
  wait_for 30 grep -qs "listening for MLLP" "$dir/ferry.log" || die "ferry did not start: $(tail -5 "$dir/ferry.log")"
  say "== e2e $name: $E2E_COUNT messages, 4 x 32"
  taskset -c "$LOAD_CPU" "$LOAD" --port "$port" --pid "$epid" --server-cpu "$ENGINE_CPU" --label "e2e-$name" \
    --connections 4 --window 32 --count "$E2E_COUNT" --max-seconds 900 \
    --delivered-file "$dir/out/adt.hl7" --delivered-timeout 600 >"$RESULTS/e2e-$name.out" 2>&1 || say "e2e $name: FAILED"
  grep '^{' "$RESULTS/e2e-$name.out" | tail -1 >>"$RESULTS/results.jsonl" || true
  kill -TERM "$epid" 2>/dev/null || true
  wait_for 60 bash -c "! kill -0 $epid 2>/dev/null" || kill -KILL "$epid" 2>/dev/null || true
  grep -E 'level=(warn|error)' "$dir/ferry.log" | head -3 >&2 || true
}
lua_step() { printf '[{"type": "lua.transform", "config": {"script": %s}}]' "$(python3 -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$1")"; }

e2e none '[]'
e2e hl7-noop '[{"type": "hl7.transform", "config": {"rules": []}}]'
e2e lua-noop "$(lua_step 'function transform(msg) end')"
e2e lua-map "$(lua_step "$MAP_SCRIPT")"

python3 - "$RESULTS/results.jsonl" <<'PY' | tee "$RESULTS/summary.txt" >&2
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("%-14s %12s %16s %8s" % ("e2e", "delivered/s", "engine CPU us/msg", "pass"))
for r in rows:
    n = r.get("delivered_msgs") or r.get("sent") or 0
    cpu = r.get("server_cpu_s_delivered")
    per = "%.1f" % (cpu * 1e6 / n) if cpu and n else "-"
    print("%-14s %12.0f %16s %8s" % (r["label"], r.get("delivered_msgs_per_s", 0), per, r.get("pass")))
PY
say "results in $RESULTS"
