# The writer's directory is unusable (a regular file stands where it should
# be; chmod cannot be used as the tests run as root): deliveries are retried
# with the OS error in the log at the pace of the destination's own retry
# policy, the reader keeps taking files meanwhile (the default response
# policy answers it once a message is committed to the store), and once the
# obstacle is gone every message arrives, in order.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

mkdir -p "$WORK/inbox"
printf 'not a directory\n' >"$WORK/out"
for n in 01 02 03 04 05; do drop "$WORK/inbox" "msg-$n.txt" "message $n"$'\n'; done

# The destination retries every 100 ms, without jitter, until it succeeds.
cat >"$WORK/ferry.json" <<JSON
{
  "engine": $(engine_json),
  "plugins": ["file"],
  "channels": [{
    "id": "files",
    "source": {"type": "file.reader", "config": {
      "directory": "$WORK/inbox", "done_directory": "$WORK/done",
      "poll_interval_ms": 50, "min_age_ms": 0}},
    "destinations": [
      {"id": "out", "type": "file.writer",
       "retry": {"max_attempts": 0, "backoff": "fixed", "initial_ms": 100, "jitter": 0},
       "config": {
        "directory": "$WORK/out", "mode": "append", "filename": "all.txt", "create_directory": true}}
    ]
  }]
}
JSON
start_ferry "$WORK/ferry.json"

# done(OK) means the message is committed to the store (response.when
# "stored", the default): the reader must not wait for the destination
# before clearing its inbox.
wait_for 15 file_count_is "$WORK/done" 5 || fail "reader did not take the files while the destination was down"
file_count_is "$WORK/inbox" 0 || fail "inbox not empty"
[ -f "$WORK/var/ferry.db" ] || fail "no store in engine.data_dir: $(ls -A "$WORK/var" 2>&1)"
wait_for 10 grep -qF "will retry: use directory $WORK/out: Not a directory" "$WORK/ferry.log" ||
  fail "no retry with the OS error text in the log"
# Fixed 100 ms waits: ten attempts take about a second (the default policy,
# exponential from 1 s, would need several minutes).
wait_for 10 grep -qF "attempt 10 failed, will retry" "$WORK/ferry.log" ||
  fail "the destination's retry policy (fixed, 100 ms) was not applied"
[ -f "$WORK/out" ] || fail "the obstacle was replaced"

# More input while still down: queued behind the first five.
drop "$WORK/inbox" msg-06.txt $'message 06\n'
drop "$WORK/inbox" msg-07.txt $'message 07\n'
wait_for 15 file_count_is "$WORK/done" 7 || fail "files 06 and 07 not taken"
sleep 0.3
[ -f "$WORK/out" ] || fail "the obstacle was replaced"

# The destination comes back: the writer creates its directory.
rm "$WORK/out"
wait_for 15 lines_at_least "$WORK/out/all.txt" 7 || fail "messages not delivered after recovery"
expected=$(for n in 01 02 03 04 05 06 07; do printf 'message %s\n' "$n"; done)
[ "$(cat "$WORK/out/all.txt")" = "$expected" ] || fail "wrong order or content: $(cat "$WORK/out/all.txt")"
sleep 0.5
[ "$(lines_in "$WORK/out/all.txt")" -eq 7 ] || fail "messages written twice: $(cat "$WORK/out/all.txt")"

stop_ferry
grep -qF "out: sent=7 filtered=0 errored=0" "$WORK/ferry.log" || fail "destination stats wrong"
echo "PASS"
