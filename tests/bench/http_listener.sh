#!/usr/bin/env bash
# On-demand benchmark: http.listener in 202 mode (not part of .ci/test).
# Companion of run.sh, same conventions: a fresh `ferry run` per scenario
# (http.listener -> file.writer appending to one file, fsync false; the
# store in a temp dir) pinned to one CPU, ApacheBench (`ab`, Debian package
# apache2-utils) pinned to the other; every wait bounded, every process
# started here killed on exit, traffic on 127.0.0.1 only.
#
#   bash tests/bench/http_listener.sh
#   BENCH_ONLY="k8 https-k8" BENCH_SECONDS=10 bash tests/bench/http_listener.sh
#
# Scenarios (BENCH_ONLY, default all, in this order). Every request is a
# ~1 KB FHIR Patient (application/fhir+json) POSTed to /fhir/Patient and
# answered 202 {"message_id": N} once the message is committed:
#   k8         8 concurrent clients, keep-alive (durability disk)
#   k1         1 client, keep-alive: the latency of one commit round trip
#   close8     8 concurrent clients, a new TCP connection per request
#   https-k8   as k8 over TLS 1.3 (certificate made here by the openssl CLI)
#   process-k8 as k8 with durability "process" (no fdatasync per commit)
# Knobs: BENCH_SECONDS=20, BENCH_WARMUP=3, BENCH_BUILD=<repo>/build-bench
#   (Release), BENCH_SKIP_BUILD=1 (use BENCH_BUILD as it is),
#   BENCH_ENGINE_CPU=0, BENCH_LOAD_CPU=1, BENCH_KEEP=1 (keep the temp dir).
# Results: $BENCH_BUILD/bench-results/http-listener-<time>/ (results.jsonl,
# one ab output per scenario, summary.md).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build-bench}
SECONDS_PER=${BENCH_SECONDS:-20}
WARMUP=${BENCH_WARMUP:-3}
ENGINE_CPU=${BENCH_ENGINE_CPU:-0}
LOAD_CPU=${BENCH_LOAD_CPU:-1}
ONLY=${BENCH_ONLY:-"k8 k1 close8 https-k8 process-k8"}

BENCH_TAG="bench-http-listener"
source "$ROOT/tests/bench/lib.sh"
for tool in cmake ninja taskset python3 ab openssl; do command -v "$tool" >/dev/null || die "$tool is missing"; done

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  say "building $BUILD (Release)"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFERRY_BUILD_BENCH=ON -DFERRY_BUILD_TESTS=OFF >/dev/null
  ninja -C "$BUILD" -j2 ferry file http >/dev/null
fi
FERRY="$BUILD/bin/ferry"
for f in "$FERRY" "$BUILD/plugins/http.so" "$BUILD/plugins/file.so"; do
  [ -e "$f" ] || die "build output missing: $f"
done

bench_workspace ferry-bench-http-listener http-listener-

# CPU seconds (user + system) a process has used so far.
cpu_seconds() { python3 -c "import os,sys; f=open('/proc/$1/stat').read().rsplit(')',1)[1].split(); print((int(f[11])+int(f[12]))/os.sysconf('SC_CLK_TCK'))"; }
vm_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# The request body: a FHIR Patient of about 1 KB (the MLLP benchmark's
# messages are 949 bytes).
python3 - >"$TMP/patient.json" <<'PY'
import json
p = {"resourceType": "Patient", "id": "bench-1", "meta": {"versionId": "1", "lastUpdated": "2026-11-26T12:00:00Z"},
     "identifier": [{"system": "urn:oid:1.2.36.146.595.217.0.1", "value": "12345"}],
     "active": True, "name": [{"use": "official", "family": "Chalmers", "given": ["Peter", "James"]}],
     "telecom": [{"system": "phone", "value": "(03) 5555 6473", "use": "work", "rank": 1}],
     "gender": "male", "birthDate": "1974-12-25",
     "address": [{"use": "home", "line": ["534 Erewhon St"], "city": "PleasantVille", "district": "Rainbow",
                  "state": "Vic", "postalCode": "3999", "period": {"start": "1974-12-25"}}],
     "contact": [{"relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": "N"}]}],
                  "name": {"family": "du Marché", "given": ["Bénédicte"]}, "gender": "female"}]}
s = json.dumps(p)
print(s + " " * max(0, 1000 - len(s)))
PY
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$TMP/server.key" -out "$TMP/server.pem" 2>/dev/null || die "openssl could not make a certificate"

# start <name> <durability> <tls true|false>: sets DIR, PORT, EPID, OUTFILE.
start() {
  DIR="$TMP/$1"
  mkdir -p "$DIR/out"
  PORT=$(free_port)
  OUTFILE="$DIR/out/patients.json"
  cat >"$DIR/ferry.json" <<JSON
{
  "engine": {"data_dir": "$DIR/var", "durability": "$2", "log_level": "info", "plugin_dirs": ["$BUILD/plugins"]},
  "plugins": ["http", "file"],
  "channels": [{
    "id": "fhir",
    "source": {"type": "http.listener",
               "config": {"port": $PORT, "path": "/fhir/*", "max_connections": 1000, "tls": $3,
                          "tls_certificate": "$TMP/server.pem", "tls_key": "$TMP/server.key"}},
    "destinations": [{"id": "out", "type": "file.writer",
                      "config": {"directory": "$DIR/out", "filename": "patients.json", "mode": "append", "fsync": false}}]
  }]
}
JSON
  taskset -c "$ENGINE_CPU" "$FERRY" run -c "$DIR/ferry.json" >"$DIR/ferry.log" 2>&1 &
  EPID=$!
  PIDS+=("$EPID")
  wait_for 30 grep -qs "listening for HTTP" "$DIR/ferry.log" || die "ferry did not start: $(tail -5 "$DIR/ferry.log")"
}

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

FAILED=()
# scenario <name> <durability> <tls> <ab args...>
scenario() {
  local name=$1 durability=$2 tls=$3; shift 3
  wants "$name" || return 0
  local scheme=http
  [ "$tls" = true ] && scheme=https
  say "== $name (durability $durability, $scheme): ab $*"
  start "$name" "$durability" "$tls"
  local url="$scheme://127.0.0.1:$PORT/fhir/Patient"
  taskset -c "$LOAD_CPU" ab "$@" -t "$WARMUP" -n 100000000 -p "$TMP/patient.json" -T application/fhir+json "$url" >/dev/null 2>&1 ||
    say "warm-up run failed"
  settle "$OUTFILE"
  local before_cpu before_load rc=0
  before_cpu=$(cpu_seconds "$EPID")
  before_load=$(loadavg)
  taskset -c "$LOAD_CPU" ab "$@" -t "$SECONDS_PER" -n 100000000 -p "$TMP/patient.json" -T application/fhir+json \
    "$url" >"$RESULTS/$name.ab.txt" 2>&1 || rc=$?
  local cpu
  cpu=$(python3 -c "print($(cpu_seconds "$EPID") - $before_cpu)")
  local rss hwm
  rss=$(vm_kb "$EPID" VmRSS)
  hwm=$(vm_kb "$EPID" VmHWM)
  settle "$OUTFILE"
  stop_process "$EPID"
  grep -E 'level=(warn|error)' "$DIR/ferry.log" | head -5 >&2 || true
  local received
  received=$(grep -o 'received=[0-9]*' "$DIR/ferry.log" | tail -1 | cut -d= -f2)
  python3 - "$RESULTS/$name.ab.txt" "$name" "$durability" "$scheme" "$cpu" "$rss" "$hwm" "$before_load" "$(loadavg)" \
    "${received:-0}" "$*" >>"$RESULTS/results.jsonl" <<'PY' || { FAILED+=("$name"); say "$name: no result (ab exit $rc)"; }
import json, re, sys
text = open(sys.argv[1]).read()
def num(pattern, default=None):
    m = re.search(pattern, text, re.M)
    return float(m.group(1)) if m else default
complete = num(r"^Complete requests:\s+(\d+)")
if complete is None:
    sys.exit(f"ab gave no result:\n{text[-2000:]}")
pct = {int(p): float(v) for p, v in re.findall(r"^\s+(\d+)%\s+(\d+)", text, re.M)}
m = re.search(r"\(Connect: (\d+), Receive: (\d+), Length: \d+, Exceptions: (\d+)\)", text)
failed = sum(int(x) for x in m.groups()) if m else 0
r = {
    "scenario": sys.argv[2], "durability": sys.argv[3], "scheme": sys.argv[4], "ab_args": sys.argv[11],
    "requests": int(complete),
    "requests_per_s": num(r"^Requests per second:\s+([\d.]+)"),
    "non_2xx": int(num(r"^Non-2xx responses:\s+(\d+)", 0)),
    "failed_connect_receive_exceptions": failed,
    "p50_ms": pct.get(50), "p99_ms": pct.get(99), "max_ms": pct.get(100),
    "server_cpu_s": float(sys.argv[5]),
    "server_vmrss_kb": int(sys.argv[6]), "server_vmhwm_kb": int(sys.argv[7]),
    "loadavg_before": sys.argv[8], "loadavg_after": sys.argv[9],
    "stored_in_run_and_warmup": int(sys.argv[10]),
}
r["server_cpu_us_per_request"] = r["server_cpu_s"] * 1e6 / max(1, r["requests"])
print(json.dumps(r))
# ab counts every response whose length differs from the first as "Length"
# failed (ids grow: {"message_id": 9} vs 10): not an error. Non-2xx answers,
# connect/receive errors and exceptions are.
if r["non_2xx"] or r["failed_connect_receive_exceptions"]:
    sys.exit(f"{r['non_2xx']} non-2xx answers, {r['failed_connect_receive_exceptions']} failed requests")
# Every 202 is a stored message (the warm-up's are stored too).
if r["stored_in_run_and_warmup"] < r["requests"]:
    sys.exit(f"{r['requests']} answered 202 but the channel received {r['stored_in_run_and_warmup']}")
PY
  [ "$rc" -eq 0 ] || { FAILED+=("$name"); say "$name: ab exited $rc"; }
}

{
  echo "date: $(date -Is)"
  echo "engine build: $BUILD ($(grep -m1 CMAKE_BUILD_TYPE: "$BUILD/CMakeCache.txt" 2>/dev/null | cut -d= -f2))"
  echo "ab: $(ab -V | head -1)"
  echo "nproc: $(nproc); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "loadavg at start: $(loadavg)"
} | tee "$RESULTS/machine.txt" >&2

scenario k8 disk false -k -c 8
scenario k1 disk false -k -c 1
scenario close8 disk false -c 8
scenario https-k8 disk true -k -c 8
scenario process-k8 process false -k -c 8
echo "loadavg at end: $(loadavg)" | tee -a "$RESULTS/machine.txt" >&2

python3 - "$RESULTS" <<'PY' | tee "$RESULTS/summary.md"
import json, os, sys
res = sys.argv[1]
rows = [json.loads(l) for l in open(f"{res}/results.jsonl")] if os.path.exists(f"{res}/results.jsonl") else []
print("| scenario | ab | durability | requests/s (202) | p50 / p99 / max ms | server CPU us/request | server RSS (peak) | load avg before |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for r in rows:
    print(f"| {r['scenario']} | `{r['ab_args']}` ({r['scheme']}) | {r['durability']} | {r['requests_per_s']:,.0f} ({r['requests']:,} in all) "
          f"| {r['p50_ms']:.0f} / {r['p99_ms']:.0f} / {r['max_ms']:.0f} | {r['server_cpu_us_per_request']:.0f} "
          f"| {r['server_vmrss_kb']/1024:.1f} MiB ({r['server_vmhwm_kb']/1024:.1f} MiB) | {r['loadavg_before']} |")
PY
say "results in $RESULTS"
if [ ${#FAILED[@]} -gt 0 ]; then
  say "failed: ${FAILED[*]}"
  exit 1
fi
