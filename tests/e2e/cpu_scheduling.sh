# engine.cpu_scheduling: every engine thread runs under SCHED_BATCH by
# default (no wake-up preemption between the threads a message passes
# through), and under the normal policy with "normal".
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"

# policies <pid>: the scheduling policy names of all its threads, sorted, unique.
policies() {
  python3 - "$1" <<'PY'
import os, sys
names = {os.SCHED_OTHER: "other", os.SCHED_BATCH: "batch", os.SCHED_IDLE: "idle"}
pid = sys.argv[1]
tids = os.listdir(f"/proc/{pid}/task")
print(len(tids), " ".join(sorted({names.get(os.sched_getscheduler(int(t)), "?") for t in tids})))
PY
}

config() {  # config <cpu_scheduling JSON member, or nothing>
  cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var", "workers": 2 $1},
 "plugins": ["testkit"],
 "channels": [{"id": "demo", "source": {"type": "testkit.counter", "config": {"count": 5, "interval_ms": 2}},
               "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/out.txt"}}]}]}
JSON
}

config ""
start_ferry "$WORK/cfg.json" info
read -r threads seen <<<"$(policies "$FERRY_PID")"
# main, 2 workers and the store writer at least.
[ "$threads" -ge 4 ] || fail "expected the engine's threads, found $threads"
[ "$seen" = "batch" ] || fail "default policy: threads run as '$seen', not batch"
stop_ferry

config ', "cpu_scheduling": "normal"'
start_ferry "$WORK/cfg.json" info
read -r threads seen <<<"$(policies "$FERRY_PID")"
[ "$seen" = "other" ] || fail "cpu_scheduling normal: threads run as '$seen'"
stop_ferry

config ', "cpu_scheduling": "fifo"'
status=0
"$FERRY" check -c "$WORK/cfg.json" >"$WORK/check.out" 2>&1 || status=$?
[ "$status" -ne 0 ] || fail "an unknown policy must be a config error"
grep -qF '/engine/cpu_scheduling' "$WORK/check.out" || fail "the error must name the key: $(cat "$WORK/check.out")"
echo "PASS"
