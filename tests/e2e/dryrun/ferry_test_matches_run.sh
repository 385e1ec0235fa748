# A dry run does what the engine does. The same channel runs for real
# (`ferry run`, file.reader -> hl7 transformers -> file.writer) and as a dry
# run; the test file generated from the real outcome (the bytes each writer
# wrote, the exact filter and error texts in the store) must pass.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"

mkdir -p "$WORK/in"
cat >"$WORK/ferry.json" <<JSON
{"engine": {"data_dir": "$WORK/var", "plugin_dirs": ["$FERRY_PLUGIN_DIR"], "shutdown_timeout_ms": 5000},
 "plugins": ["file", "hl7"],
 "channels": [{"id": "same",
   "response": {"when": "transformed"},
   "source": {"type": "file.reader", "config": {"directory": "$WORK/in", "done_directory": "$WORK/done",
              "error_directory": "$WORK/error", "poll_interval_ms": 50, "min_age_ms": 0}},
   "transformers": [{"type": "hl7.transform", "config": {"rules": [
     {"meta": {"key": "control_id", "path": "MSH-10"}},
     {"name": "adt or oru", "filter": {"path": "MSH-9.1", "in": ["ADT", "ORU"]}},
     {"map": {"path": "PID-8", "table": {"1": "M", "2": "F"}}},
     {"set": {"path": "ZFR-1", "value": "\${meta:filename}"}}]}}],
   "destinations": [
     {"id": "hl7", "type": "file.writer", "config": {"directory": "$WORK/out/hl7", "filename": "\${meta:filename}", "fsync": false},
      "transformers": [{"type": "hl7.transform", "config": {"rules": [
        {"filter": {"path": "PID-3.1", "equals": "999", "not": true}},
        {"set": {"path": "MSH-5", "value": "EHR"}},
        {"delete": {"path": "NK1"}}]}}]},
     {"id": "json", "type": "file.writer", "config": {"directory": "$WORK/out/json", "filename": "\${meta:filename}", "fsync": false},
      "transformers": [{"type": "hl7.to_json", "config": {"pretty": true}}]}]}]}
JSON
printf 'MSH|^~\\&|A|B|C|D|20260101||ADT^A01|M1|P|2.5\rPID|1||42||DOE^JO||1990|2\rNK1|1|DOE^AL|SPO\r' >"$WORK/a.hl7"
printf 'MSH|^~\\&|A|B|C|D|20260101||ORM^O01|M2|P|2.5\rPID|1||43\r' >"$WORK/b.hl7"
printf 'MSH|^~\\&|A|B|C|D|20260101||ORU^R01|M3|P|2.5\nPID|1||999||ROE^RI||1980|1\n' >"$WORK/c.hl7"
printf 'not HL7 at all' >"$WORK/d.hl7"

start_ferry "$WORK/ferry.json"
for f in a b c d; do cp "$WORK/$f.hl7" "$WORK/in/.$f.part" && mv "$WORK/in/.$f.part" "$WORK/in/$f.hl7"; done
taken() { [ -f "$WORK/done/$1" ] || [ -f "$WORK/error/$1" ]; }
for f in a b c d; do wait_for 15 taken "$f.hl7" || fail "$f.hl7 not taken"; done
# Every delivery finished (a and c to json, a to hl7, c filtered for hl7),
# so the store holds each outcome when the engine stops.
deliveries_done() {
  "$FERRY" stats --json --data-dir "$WORK/var" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)["same"]["destinations"]
sys.exit(0 if d["hl7"]["sent"] == 1 and d["hl7"]["filtered"] == 1 and d["json"]["sent"] == 2 else 1)'
}
wait_for 15 deliveries_done || fail "deliveries not finished: $("$FERRY" stats --data-dir "$WORK/var" 2>&1)"
stop_ferry

"$FERRY" messages list --json --limit 100 --data-dir "$WORK/var" >"$WORK/list.json" || fail "messages list"
for id in $(python3 -c 'import json,sys; print(" ".join(str(m["id"]) for m in json.load(open(sys.argv[1]))))' "$WORK/list.json"); do
  "$FERRY" messages show "$id" --json --data-dir "$WORK/var" >"$WORK/show-$id.json" || fail "messages show $id"
done

# The test file, written from what the engine did.
python3 - "$WORK" <<'PY' || fail "cannot build the test file from the run"
import glob, json, sys
work = sys.argv[1]
shown = [json.load(open(f)) for f in glob.glob(work + "/show-*.json")]
by_name = {m["metadata"]["filename"]: m for m in shown}
def case(name):
    return {"name": name, "input": {"file": name, "content_type": "text/plain", "metadata": {"filename": name}}}
def delivery(m, dest):
    return next(d for d in m["destinations"] if d["destination"] == dest)
cases = []
a = case("a.hl7")
a["expect"] = {"hl7": {"equals_file": "out/hl7/a.hl7", "metadata": {"control_id": "M1"}},
               "json": {"equals_file": "out/json/a.hl7", "content_type": "application/json"}}
cases.append(a)
b = by_name["b.hl7"]
assert b["message_status"] == "filtered", b
cases.append(dict(case("b.hl7"), expect_channel_filtered=b["error"]))
c = by_name["c.hl7"]
d_hl7 = delivery(c, "hl7")
assert d_hl7["status"] == "filtered" and d_hl7.get("last_error"), d_hl7
cases.append(dict(case("c.hl7"), expect={"hl7": {"filtered": d_hl7["last_error"]}, "json": {"equals_file": "out/json/c.hl7"}}))
d = by_name["d.hl7"]
assert d["message_status"] == "error", d
cases.append(dict(case("d.hl7"), expect_channel_error=d["error"]))
json.dump({"config": "ferry.json", "channel": "same", "cases": cases}, open(work + "/same.test.json", "w"), indent=2)
open(work + "/errors.txt", "w").write(b["error"] + "\n" + d_hl7["last_error"] + "\n")
PY

"$FERRY" test "$WORK/same.test.json" >"$WORK/test.out" 2>&1 ||
  fail "the dry run differs from the engine: $(cat "$WORK/test.out") --- test file: $(cat "$WORK/same.test.json")"
grep -qx "ferry test: 4 passed, 0 failed (1 file)" "$WORK/test.out" || fail "summary: $(cat "$WORK/test.out")"

# The reasons `ferry try` prints are the stored texts, exactly (not only contain them).
"$FERRY" try -c "$WORK/ferry.json" --channel same --message "$WORK/b.hl7" --content-type text/plain \
  --meta filename=b.hl7 >"$WORK/try-b.out" 2>&1 || fail "try b"
grep -qxF "   channel: filtered by $(sed -n 1p "$WORK/errors.txt")" "$WORK/try-b.out" ||
  fail "try b: $(cat "$WORK/try-b.out") --- stored: $(sed -n 1p "$WORK/errors.txt")"
"$FERRY" try -c "$WORK/ferry.json" --channel same --message "$WORK/c.hl7" --content-type text/plain \
  --meta filename=c.hl7 >"$WORK/try-c.out" 2>&1 || fail "try c"
grep -qxF "   destination \"hl7\": not delivered, filtered by $(sed -n 2p "$WORK/errors.txt")" "$WORK/try-c.out" ||
  fail "try c: $(cat "$WORK/try-c.out") --- stored: $(sed -n 2p "$WORK/errors.txt")"
echo "PASS"
