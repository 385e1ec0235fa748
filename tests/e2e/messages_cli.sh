# ferry messages list/search/show/reprocess/resend and ferry stats, against a
# real store, while the engine runs and offline.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"

cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var", "command_poll_ms": 50},
 "plugins": ["testkit"],
 "channels": [{"id": "lab",
   "source": {"type": "testkit.counter", "config": {"count": 5, "interval_ms": 5, "prefix": "m"}},
   "transformers": [{"type": "testkit.tag", "config": {"filter_if": "m3", "fail_if": "m4", "key": "control_id", "value": "C1"}}],
   "destinations": [
     {"id": "ok", "type": "testkit.sink", "config": {"path": "$WORK/ok.txt"}},
     {"id": "flaky", "type": "testkit.sink", "config": {"path": "$WORK/flaky.txt", "retry_first": 1},
      "retry": {"max_attempts": 1}}]}]}
JSON
start_ferry "$WORK/cfg.json" info
wait_lines "$WORK/ok.txt" 3 || fail "messages did not flow"
F() { "$FERRY" "$@" -c "$WORK/cfg.json"; }

# list: all five, newest first, with their overall status. A line is in
# ok.txt just before its outcome is committed: wait for the outcomes.
list_is_complete() {
  F messages list --json >"$WORK/list.json"
  python3 - "$WORK/list.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r["id"] for r in rows] == sorted([r["id"] for r in rows], reverse=True), rows
by_seq = {r["metadata"]["seq"]: r for r in rows}
assert set(by_seq) == {"1", "2", "3", "4", "5"}, by_seq
assert by_seq["3"]["status"] == "filtered" and "contains 'm3'" in by_seq["3"]["error"], by_seq["3"]
assert by_seq["4"]["status"] == "error" and "contains 'm4'" in by_seq["4"]["error"], by_seq["4"]
# m1 failed its only attempt at "flaky" (retry_first 1, max_attempts 1); the others went through.
assert by_seq["1"]["status"] == "error", by_seq["1"]
assert by_seq["2"]["status"] == "sent" and by_seq["5"]["status"] == "sent", rows
assert by_seq["2"]["metadata"]["control_id"] == "C1"
PY
}
wait_for 10 list_is_complete 2>/dev/null || { list_is_complete; fail "list: $(cat "$WORK/list.json")"; }

# search: by metadata, status, text; and search insists on a filter.
[ "$(F messages search --meta seq=2 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1 ] || fail "search --meta"
[ "$(F messages search --status filtered --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r[0]["metadata"]["seq"])')" = 3 ] || fail "search --status"
[ "$(F messages search --text m5 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1 ] || fail "search --text"
[ "$(F messages list --since 1h --until 0 --json)" = "[]" ] || fail "an empty time range must list nothing"
status=0; F messages search >/dev/null 2>&1 || status=$?
[ $status -eq 2 ] || fail "search without a filter must exit 2"

# show: content, deliveries, responses.
id1=$(F messages search --meta seq=1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
F messages show "$id1" --json >"$WORK/show.json"
python3 - "$WORK/show.json" <<'PY' || fail "show: $(cat "$WORK/show.json")"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["raw"] == "m1" and m["transformed"] == "m1", m
d = {x["destination"]: x for x in m["destinations"]}
assert d["ok"]["status"] == "sent" and d["ok"]["response"] == "written", d
assert d["flaky"]["status"] == "error" and d["flaky"]["attempts"] == 1, d
assert "gave up after 1 attempt" in d["flaky"]["last_error"], d
PY
F messages show "$id1" | grep -q "^--- destination flaky: error, 1 attempt(s)" || fail "show text"

# resend while running: the errored delivery goes again (and succeeds now).
F messages resend "$id1" --destination flaky | grep -q "queued for the engine" || fail "resend output"
wait_for 10 grep -qx "m1" "$WORK/flaky.txt" || fail "resend did not deliver"
wait_for 10 bash -c "'$FERRY' messages show $id1 --json -c '$WORK/cfg.json' | grep -q '\"status\": \"sent\"'" || fail "status after resend"

# reprocess while running: a new message with the same raw content, marked.
F messages reprocess "$id1" >/dev/null
wait_for 10 bash -c "'$FERRY' messages search --meta reprocessed_from=$id1 --json -c '$WORK/cfg.json' | grep -q '\"status\": \"sent\"'" ||
  fail "reprocess did not produce a delivered message"
status=0; F messages show 999999 >/dev/null 2>&1 || status=$?
[ $status -eq 1 ] || fail "show of an unknown id must exit 1"
stop_ferry

# stats survive the restart of the engine, and work offline.
F stats --json >"$WORK/stats.json"
python3 - "$WORK/stats.json" <<'PY' || fail "stats: $(cat "$WORK/stats.json")"
import json, sys
s = json.load(open(sys.argv[1]))["lab"]
assert s["received"] == 6 and s["filtered"] == 1 and s["errored"] == 1, s
d = s["destinations"]
assert d["ok"]["sent"] == 4 and d["ok"]["queued"] == 0, d
assert d["flaky"]["errored"] == 1 and d["flaky"]["sent"] == 4, d  # m2, m5, m1 resent, m1 reprocessed
PY
F stats | grep -qE "^lab +ok" || fail "stats text"
# offline resend is carried out at the next start.
F messages resend "$id1" >/dev/null
echo "messages_cli: ok"
