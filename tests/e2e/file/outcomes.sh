# What happens to input files for each completion: taken (done_directory or
# deleted), filtered (like taken), rejected by the channel (error_directory,
# or left in place and not retried until it changes), too big, hidden or not
# matching the pattern; and file.writer's templates and fail_if_exists.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/helpers.sh"

mkdir -p "$WORK/in1" "$WORK/in2"
# testkit.tag as the channel transformer: "SKIP" in the content filters the
# message, "BAD" fails it. Both channels answer the source only once the
# transformers ran (response.when "transformed"), so the reader hears about
# both; with the default ("stored") it would be told OK for every message.
cat >"$WORK/ferry.json" <<JSON
{
  "engine": $(engine_json),
  "plugins": ["file", "testkit"],
  "channels": [
    {
      "id": "dirs",
      "response": {"when": "transformed"},
      "source": {"type": "file.reader", "config": {
        "directory": "$WORK/in1", "pattern": "*.txt", "done_directory": "$WORK/done1",
        "error_directory": "$WORK/error1", "poll_interval_ms": 50, "min_age_ms": 0, "max_file_size": 64}},
      "transformers": [{"type": "testkit.tag", "config": {"filter_if": "SKIP", "fail_if": "BAD"}}],
      "destinations": [{"id": "out", "type": "file.writer",
                        "config": {"directory": "$WORK/out1", "filename": "\${meta:filename}", "fsync": false}}]
    },
    {
      "id": "plain",
      "response": {"when": "transformed"},
      "source": {"type": "file.reader", "config": {
        "directory": "$WORK/in2", "poll_interval_ms": 50, "min_age_ms": 0}},
      "transformers": [{"type": "testkit.tag", "config": {"fail_if": "BAD"}}],
      "destinations": [
        {"id": "once", "type": "file.writer",
         "config": {"directory": "$WORK/out2", "filename": "same.txt", "mode": "fail_if_exists"}},
        {"id": "named", "type": "file.writer", "config": {"directory": "$WORK/out3",
         "filename": "\${date}_\${timestamp}_\${message_id}_\${meta:filename}_\${meta:nope}_\${uuid}.out"}},
        {"id": "bypath", "type": "file.writer",
         "config": {"directory": "$WORK/out4", "filename": "\${meta:path}"}}
      ]
    }
  ]
}
JSON
start_ferry "$WORK/ferry.json"

# --- channel "dirs": done_directory and error_directory set -------------
drop "$WORK/in1" good.txt "good"
drop "$WORK/in1" skip.txt "SKIP me"
drop "$WORK/in1" bad.txt "BAD one"
drop "$WORK/in1" big.txt "$(printf '%080d' 0)"
drop "$WORK/in1" notes.log "not matching the pattern"
drop "$WORK/in1" .hidden.txt "hidden"

wait_for 15 file_count_is "$WORK/done1" 2 || fail "done1: $(ls -A "$WORK/done1" 2>&1)"
wait_for 15 file_count_is "$WORK/error1" 2 || fail "error1: $(ls -A "$WORK/error1" 2>&1)"
has_content "$WORK/done1/good.txt" "good" || fail "good.txt not in done1"
has_content "$WORK/done1/skip.txt" "SKIP me" || fail "filtered skip.txt not in done1"
has_content "$WORK/error1/bad.txt" "BAD one" || fail "rejected bad.txt not in error1"
[ -f "$WORK/error1/big.txt" ] || fail "oversized big.txt not in error1"
grep -qF "more than max_file_size 64" "$WORK/ferry.log" || fail "no reason logged for big.txt"
grep -qF "the channel rejected it" "$WORK/ferry.log" || fail "no reason logged for bad.txt"
wait_for 5 has_content "$WORK/out1/good.txt" "good" || fail "good.txt not delivered"
[ ! -e "$WORK/out1/skip.txt" ] && [ ! -e "$WORK/out1/bad.txt" ] || fail "filtered/failed messages delivered"
sleep 0.3
[ -f "$WORK/in1/notes.log" ] && [ -f "$WORK/in1/.hidden.txt" ] || fail "ignored files were touched"

# --- channel "plain": delete on success, no error_directory --------------
drop "$WORK/in2" first.txt "one"
wait_for 15 has_content "$WORK/out2/same.txt" "one" || fail "first.txt not delivered"
wait_for 5 file_count_is "$WORK/in2" 0 || fail "first.txt not deleted from in2"
wait_for 5 file_count_is "$WORK/out3" 1 || fail "templated file missing"
name=$(basename "$(find "$WORK/out3" -type f)")
[[ "$name" =~ ^[0-9]{8}_[0-9]{8}T[0-9]{6}\.[0-9]{3}Z_[0-9]+_first\.txt__[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.out$ ]] ||
  fail "template gave '$name'"
[ "${name:0:8}" = "${name:9:8}" ] || fail "\${date} and \${timestamp} disagree in '$name'"
[[ "$name" != *_0_first.txt_* ]] || fail "\${message_id} is 0 in '$name'"
# '/' from metadata never leaves the directory.
wait_for 5 has_content "$WORK/out4/$(printf '%s' "$WORK/in2/first.txt" | tr / _)" "one" ||
  fail "path-named file missing: $(ls -A "$WORK/out4")"

# Rejected without error_directory: stays, logged once, not retried...
drop "$WORK/in2" bad.txt "BAD two"
wait_for 10 grep -qF "in2/bad.txt: the channel rejected it" "$WORK/ferry.log" || fail "bad.txt not rejected"
sleep 1  # 20 scans
[ -f "$WORK/in2/bad.txt" ] || fail "rejected file was removed"
[ "$(log_count "in2/bad.txt: the channel rejected it")" -eq 1 ] || fail "rejected file was retried or logged again"
# ...until it changes.
printf 'fixed' >"$WORK/in2/bad.txt"
wait_for 10 file_count_is "$WORK/in2" 0 || fail "changed bad.txt was not taken again"
wait_for 5 has_content "$WORK/out4/$(printf '%s' "$WORK/in2/bad.txt" | tr / _)" "fixed" || fail "fixed bad.txt not delivered"

# fail_if_exists: the second message for same.txt fails, the first stays.
wait_for 10 grep -qF "same.txt exists" "$WORK/ferry.log" || fail "fail_if_exists did not fail the second write"
has_content "$WORK/out2/same.txt" "one" || fail "fail_if_exists replaced the file"

stop_ferry
grep -qF "| once: sent=1 filtered=0 errored=1" "$WORK/ferry.log" || fail "destination 'once' stats wrong"

# Every completion the reader acted on was for a message committed to the
# store (engine.data_dir), which keeps the channel's outcome for each.
"$FERRY" messages list --data-dir "$WORK/var" --channel dirs >"$WORK/messages.txt" ||
  fail "ferry messages list failed: $(cat "$WORK/messages.txt")"
for row in "sent good.txt" "filtered skip.txt" "error bad.txt"; do
  grep -qE "[[:space:]]${row% *}[[:space:]]+filename=${row#* }[[:space:]]" "$WORK/messages.txt" ||
    fail "store has no ${row% *} message for ${row#* }: $(cat "$WORK/messages.txt")"
done
[ "$(grep -c 'filename=' "$WORK/messages.txt")" -eq 3 ] ||
  fail "channel dirs stored other messages: $(cat "$WORK/messages.txt")"
echo "PASS"
