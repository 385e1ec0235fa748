# kill -9 under steady input, several times, then restart: every message the
# channel acknowledged as stored is delivered at least once. Prints the
# duplicate count (at-least-once delivery allows some).
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"

cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var", "durability": "disk"},
 "plugins": ["testkit"],
 "channels": [{"id": "steady",
   "source": {"type": "testkit.counter",
              "config": {"count": 1000000, "interval_ms": 1, "prefix": "\${env:FERRY_RUN}-", "ack_log": "$WORK/acked.txt"}},
   "transformers": [{"type": "testkit.tag", "config": {"suffix": "!"}}],
   "destinations": [
     {"id": "a", "type": "testkit.sink", "config": {"path": "$WORK/a.txt"}},
     {"id": "b", "type": "testkit.sink", "config": {"path": "$WORK/b.txt"}}]}]}
JSON

for run in 1 2 3 4 5; do
  export FERRY_RUN="run$run"
  "$FERRY" run -c "$WORK/cfg.json" --log-level warn >>"$WORK/ferry.log" 2>&1 &
  FERRY_PID=$!
  # A random moment between 0.3 and 1.3 s into the run.
  sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.3 + (r % 100) / 100 }')"
  kill -9 "$FERRY_PID"
  wait "$FERRY_PID" 2>/dev/null || true
  FERRY_PID=""
done
acked=$(lines_in "$WORK/acked.txt")
[ "$acked" -gt 50 ] || fail "only $acked messages acknowledged over five runs"

# Restart without new input: the store's backlog drains.
export FERRY_RUN=final
sed -i 's/"count": 1000000/"count": 0/' "$WORK/cfg.json"
start_ferry "$WORK/cfg.json" info
all_delivered() {
  for out in a b; do
    sort -u "$WORK/$out.txt" | sed 's/!$//' >"$WORK/$out.delivered"
    sort -u "$WORK/acked.txt" | comm -23 - "$WORK/$out.delivered" >"$WORK/$out.missing"
    [ -s "$WORK/$out.missing" ] && return 1
  done
  return 0
}
wait_for 60 all_delivered || fail "acknowledged but never delivered (to a): $(head -5 "$WORK/a.missing") (to b): $(head -5 "$WORK/b.missing")"
stop_ferry

"$FERRY" stats --json -c "$WORK/cfg.json" >"$WORK/stats.json"
python3 - "$WORK/stats.json" <<'PY' || fail "queues not empty after recovery: $(cat "$WORK/stats.json")"
import json, sys
s = json.load(open(sys.argv[1]))["steady"]["destinations"]
assert s["a"]["queued"] == 0 and s["b"]["queued"] == 0, s
PY
dups_a=$(( $(lines_in "$WORK/a.txt") - $(sort -u "$WORK/a.txt" | wc -l) ))
dups_b=$(( $(lines_in "$WORK/b.txt") - $(sort -u "$WORK/b.txt" | wc -l) ))
echo "crash_recovery: ok: 5 kill -9, $acked acknowledged, none lost; duplicates: a=$dups_a b=$dups_b"
