# file.writer in append mode keeps its file open between messages; the file
# is followed by name, so what an admin does to it is seen at the next
# message: rotated away (logrotate's rename), deleted, or replaced by another
# file. A templated name that changes (e.g. per day) moves on to the new file.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

mkdir -p "$WORK/inbox" "$WORK/out"
cat >"$WORK/ferry.json" <<JSON
{
  "engine": $(engine_json),
  "plugins": ["file"],
  "channels": [{
    "id": "files",
    "source": {"type": "file.reader", "config": {
      "directory": "$WORK/inbox", "poll_interval_ms": 50, "min_age_ms": 0}},
    "destinations": [
      {"id": "log", "type": "file.writer",
       "config": {"directory": "$WORK/out", "mode": "append", "filename": "all.txt", "fsync": false}},
      {"id": "by_name", "type": "file.writer",
       "config": {"directory": "$WORK/out", "mode": "append", "filename": "part-\${meta:filename}.log"}}
    ]
  }]
}
JSON
start_ferry "$WORK/ferry.json"

# send <name> <line>: one message, and wait until all.txt has it.
send() {
  drop "$WORK/inbox" "$1" "$2"$'\n'
  wait_for 15 grep -qxF "$2" "$WORK/out/all.txt" || fail "'$2' did not arrive in all.txt: $(cat "$WORK/out/all.txt" 2>&1)"
}

send a one
send a two
[ "$(cat "$WORK/out/all.txt")" = $'one\ntwo' ] || fail "before rotation: $(cat "$WORK/out/all.txt")"

# Rotation: the old name is renamed; the next message starts a new file and
# nothing more goes into the rotated one.
mv "$WORK/out/all.txt" "$WORK/out/all.txt.1"
send b three
[ "$(cat "$WORK/out/all.txt")" = "three" ] || fail "after rotation: $(cat "$WORK/out/all.txt")"
[ "$(cat "$WORK/out/all.txt.1")" = $'one\ntwo' ] || fail "the rotated file changed: $(cat "$WORK/out/all.txt.1")"

# Deleted: the next message must not vanish into the unlinked file.
rm "$WORK/out/all.txt"
send a four
[ "$(cat "$WORK/out/all.txt")" = "four" ] || fail "after delete: $(cat "$WORK/out/all.txt")"

# Replaced by another file under the same name: appended to the new one.
printf 'header\n' >"$WORK/out/new.txt"
mv "$WORK/out/new.txt" "$WORK/out/all.txt"
send b five
[ "$(cat "$WORK/out/all.txt")" = $'header\nfive' ] || fail "after replace: $(cat "$WORK/out/all.txt")"

# The templated destination went back and forth between two names.
wait_for 15 lines_at_least "$WORK/out/part-b.log" 2 || fail "part-b.log incomplete"
[ "$(cat "$WORK/out/part-a.log")" = $'one\ntwo\nfour' ] || fail "part-a.log: $(cat "$WORK/out/part-a.log")"
[ "$(cat "$WORK/out/part-b.log")" = $'three\nfive' ] || fail "part-b.log: $(cat "$WORK/out/part-b.log")"

stop_ferry
grep -qF "log: sent=5 filtered=0 errored=0" "$WORK/ferry.log" || fail "destination stats wrong: $(grep 'sent=' "$WORK/ferry.log")"
echo "PASS"
