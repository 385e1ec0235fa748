# `ferry test` on the example test files shipped in config/examples/: the
# passing file exits 0, the deliberately failing one exits 1 with a diff
# that names the file, case, destination and check; several files add up;
# nothing is stored and no data_dir is created.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"

EX="$FERRY_SOURCE_DIR/config/examples"
# The example config's data_dir is config/examples/var/: a dry run must not create it.
[ ! -e "$EX/var" ] || fail "$EX/var exists before the test; remove it"

status=0
"$FERRY" test "$EX/adt-routing.test.json" >"$WORK/pass.out" 2>"$WORK/pass.err" || status=$?
[ $status -eq 0 ] || fail "passing examples exited $status: $(cat "$WORK/pass.out" "$WORK/pass.err")"
grep -qF "== $EX/adt-routing.test.json: channel \"adt-routing\" of $EX/adt-routing.json, 6 cases" "$WORK/pass.out" ||
  fail "header: $(cat "$WORK/pass.out")"
[ "$(grep -c '^  PASS  ' "$WORK/pass.out")" -eq 6 ] || fail "expected 6 PASS lines: $(cat "$WORK/pass.out")"
grep -qx "ferry test: 6 passed, 0 failed (1 file)" "$WORK/pass.out" || fail "summary: $(cat "$WORK/pass.out")"
[ ! -s "$WORK/pass.err" ] || fail "stderr not empty: $(cat "$WORK/pass.err")"

status=0
"$FERRY" test "$EX/failing.test.json" >"$WORK/fail.out" 2>&1 || status=$?
[ $status -eq 1 ] || fail "failing examples exited $status, expected 1: $(cat "$WORK/fail.out")"
F="$EX/failing.test.json"
C='case "wrong expectations for an admission"'
expect_lines() {
  python3 - "$WORK/fail.out" "$1" <<'PY' || fail "output lacks the block:
$1
--- output ---
$(cat "$WORK/fail.out")"
import sys
out, block = open(sys.argv[1]).read(), sys.argv[2]
sys.exit(0 if block in out else 1)
PY
}
expect_lines "  PASS  passes: the archive gets the admission
  FAIL  wrong expectations for an admission"
# A unified diff of the expected file against what the EHR would get.
expect_lines "    $F: $C: destination \"ehr\": equals_file expected/ehr-a01-wrong.hl7
      --- expected/ehr-a01-wrong.hl7 (expected)
      +++ destination \"ehr\" (actual)
      @@ -1,5 +1,4 @@
       MSH|^~\\&|ADT|HOSP|EHR|HOSP|20261126120000||ADT^A01|MSG0001|P|2.5
       EVN|A01|20261126120000
      -PID|1||12345^^^HOSP^MR||SMITH^JANE||19800202|F|||1 MAIN ST^^SPRINGFIELD
      -NK1|1|DOE^JOHN|SPO
      +PID|1||12345^^^HOSP^MR||DOE^JANE||19800202|F|||1 MAIN ST^^SPRINGFIELD
       PV1|1|I|WARD1^101^A"
expect_lines "    $F: $C: destination \"ehr\": hl7 PID-5.1
      expected: \"SMITH\"
      actual:   \"DOE\""
expect_lines "    $F: $C: destination \"admissions\": json /segments/2/fields/7
      expected: \"M\"
      actual:   \"F\""
expect_lines "    $F: $C: destination \"admissions\": metadata ward
      expected: \"WARD1\"
      actual:   (absent)"
expect_lines "  FAIL  orders expected to reach the EHR
    $F: case \"orders expected to reach the EHR\": destination \"ehr\": delivered
      expected: delivered
      actual:   not delivered, filtered by the channel: transformer 0 (hl7.transform): rule 1 \"only ADT\" (filter MSH-9.1): \"ORM\" is not \"ADT\""
grep -qx "ferry test: 1 passed, 2 failed (1 file)" "$WORK/fail.out" || fail "summary: $(cat "$WORK/fail.out")"

# Several files: counts add up, one failure makes the whole run fail.
status=0
"$FERRY" test "$EX/adt-routing.test.json" "$EX/failing.test.json" >"$WORK/both.out" 2>&1 || status=$?
[ $status -eq 1 ] || fail "two files exited $status, expected 1"
grep -qx "ferry test: 7 passed, 2 failed (2 files)" "$WORK/both.out" || fail "summary: $(cat "$WORK/both.out")"

# Test files work from any current folder (paths are relative to the test file).
(cd "$WORK" && "$FERRY" test "$EX/adt-routing.test.json" >/dev/null 2>&1) || fail "run from another folder failed"
(cd "$EX" && "$FERRY" test adt-routing.test.json >"$WORK/rel.out" 2>&1) || fail "relative path failed: $(cat "$WORK/rel.out")"
grep -qF "== adt-routing.test.json: channel \"adt-routing\" of adt-routing.json, 6 cases" "$WORK/rel.out" ||
  fail "relative header: $(cat "$WORK/rel.out")"

[ ! -e "$EX/var" ] || fail "ferry test created $EX/var (a store or data_dir)"
echo "PASS"
