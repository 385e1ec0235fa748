# file.reader -> two file.writer destinations, end to end: every dropped file
# arrives in both, a file still being written is not taken early, originals
# end up in done_directory, and SIGTERM stops ferry cleanly.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

mkdir -p "$WORK/inbox"
# min_age_ms (3000) is far above poll_interval_ms (100): the slow file below
# pauses for several scans, so only the age rule can keep it waiting. The
# margin between the pause (0.8 s) and min_age_ms is for slow CI machines.
cat >"$WORK/ferry.json" <<JSON
{
  "engine": $(engine_json),
  "plugins": ["file"],
  "channels": [{
    "id": "files",
    "source": {"type": "file.reader", "config": {
      "directory": "$WORK/inbox", "done_directory": "$WORK/done",
      "poll_interval_ms": 100, "min_age_ms": 3000}},
    "destinations": [
      {"id": "each", "type": "file.writer",
       "config": {"directory": "$WORK/out1", "filename": "\${meta:filename}"}},
      {"id": "all", "type": "file.writer",
       "config": {"directory": "$WORK/out2", "mode": "append", "filename": "all.txt"}}
    ]
  }]
}
JSON
grep -qF '"filename": "${meta:filename}"' "$WORK/ferry.json" || fail "test bug: placeholder not written as is"
"$FERRY" check -c "$WORK/ferry.json" >/dev/null || fail "config rejected by ferry check"
start_ferry "$WORK/ferry.json"

drop "$WORK/inbox" a.txt $'alpha\n'
drop "$WORK/inbox" b.txt $'bravo\n'
drop "$WORK/inbox" c.hl7 $'MSH|^~\\&|charlie\r'
# Written in place, in two parts, with a pause of several scans in between.
printf 'slow part 1\n' >"$WORK/inbox/slow.txt"
sleep 0.8
[ ! -e "$WORK/out1/slow.txt" ] || fail "slow.txt was taken while still being written"
printf 'slow part 2\n' >>"$WORK/inbox/slow.txt"

wait_for 20 has_content "$WORK/out1/slow.txt" $'slow part 1\nslow part 2\n' || fail "slow.txt not delivered whole"
wait_for 20 has_content "$WORK/out1/a.txt" $'alpha\n' || fail "a.txt not delivered to out1"
has_content "$WORK/out1/b.txt" $'bravo\n' || fail "b.txt not delivered to out1"
has_content "$WORK/out1/c.hl7" $'MSH|^~\\&|charlie\r' || fail "c.hl7 not delivered byte for byte"
wait_for 10 lines_at_least "$WORK/out2/all.txt" 4 || fail "out2/all.txt incomplete"
# Appends arrive in the order the files were taken: sorted by name within a
# scan, and slow.txt became eligible last.
has_content "$WORK/out2/all.txt" $'alpha\nbravo\nMSH|^~\\&|charlie\rslow part 1\nslow part 2\n' ||
  fail "out2/all.txt is: $(cat -A "$WORK/out2/all.txt")"

# Originals: gone from the inbox, intact in done_directory.
wait_for 10 file_count_is "$WORK/inbox" 0 || fail "inbox not empty: $(ls -A "$WORK/inbox")"
has_content "$WORK/done/a.txt" $'alpha\n' || fail "done/a.txt missing"
has_content "$WORK/done/slow.txt" $'slow part 1\nslow part 2\n' || fail "done/slow.txt missing"
[ "$(files_in "$WORK/done")" -eq 4 ] || fail "done has $(ls "$WORK/done")"

# A second a.txt: out1 (overwrite mode) gets the new content, and the done
# copy gets a unique name instead of replacing the first original.
drop "$WORK/inbox" a.txt $'alpha 2\n'
wait_for 20 has_content "$WORK/out1/a.txt" $'alpha 2\n' || fail "second a.txt not delivered"
wait_for 10 file_count_is "$WORK/done" 5 ||
  fail "second a.txt not moved to done under a unique name: $(ls "$WORK/done")"
has_content "$WORK/done/a.txt" $'alpha\n' || fail "first done/a.txt was overwritten"
has_content "$(find "$WORK/done" -maxdepth 1 -name 'a.txt.*')" $'alpha 2\n' || fail "renamed done copy differs"

# No temp files left behind by the writer.
leftovers=$(find "$WORK/out1" "$WORK/out2" -name '.*' -type f)
[ -z "$leftovers" ] || fail "temp files left: $leftovers"

stop_ferry
grep -q "channel stopped: received=5" "$WORK/ferry.log" || fail "expected 5 messages received"
echo "PASS"
