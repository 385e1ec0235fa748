# The store cannot be written: a read-only data_dir, a corrupt file, a full
# disk. Each gives a clear error; nothing is acknowledged that was not stored;
# after the disk frees up, the engine carries on by itself.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"

config() {  # <data_dir> <count> <prefix>
  cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$1", "max_in_flight": 50},
 "plugins": ["testkit"],
 "channels": [{"id": "c",
   "source": {"type": "testkit.counter", "config": {"count": $2, "interval_ms": 1, "prefix": "$3", "ack_log": "$WORK/acked.txt"}},
   "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/out.txt"}}]}]}
JSON
}

# 1. Corrupt store file: refuse to start, name the file and the cause.
mkdir -p "$WORK/corrupt"
head -c 8192 /dev/urandom >"$WORK/corrupt/ferry.db"
config "$WORK/corrupt" 10 "x-"
status=0; "$FERRY" run -c "$WORK/cfg.json" >"$WORK/corrupt.log" 2>&1 || status=$?
[ $status -eq 1 ] || fail "a corrupt store must stop the start (exit 1), got $status"
grep -q "store $WORK/corrupt/ferry.db" "$WORK/corrupt.log" || fail "error does not name the file: $(cat "$WORK/corrupt.log")"
grep -qi "not a database" "$WORK/corrupt.log" || fail "error does not say why: $(cat "$WORK/corrupt.log")"

mount_tmpfs() {  # <dir> <options>: the rest needs root and mount; skip (77) where not allowed
  mkdir -p "$1"
  if ! mount -t tmpfs -o "$2" tmpfs "$1" 2>/dev/null; then
    echo "store_faults: cannot mount tmpfs here; skipping the read-only and disk-full cases"
    exit 77
  fi
  MOUNTS+=("$1")
}
MOUNTS=()
trap 'for m in "${MOUNTS[@]}"; do umount -l "$m" 2>/dev/null || true; done; cleanup' EXIT

# 2. Read-only data_dir.
mount_tmpfs "$WORK/ro" "ro,size=1m"
config "$WORK/ro/var" 10 "ro-"
status=0; "$FERRY" run -c "$WORK/cfg.json" >"$WORK/ro.log" 2>&1 || status=$?
[ $status -eq 1 ] || fail "a read-only data_dir must stop the start, got $status"
grep -qi "read-only" "$WORK/ro.log" || fail "no clear read-only error: $(cat "$WORK/ro.log")"

# 3. Disk full while running: new messages are refused (not acknowledged),
#    the engine stays up, and recovers once there is space again.
mount_tmpfs "$WORK/small" "size=24m"
prefix=$(head -c 2000 /dev/zero | tr '\0' 'x')
config "$WORK/small/var" 1000000 "$prefix-"
start_ferry "$WORK/cfg.json" info
wait_lines "$WORK/out.txt" 5 || fail "no traffic before the disk filled"
# Fill what is left of the disk.
dd if=/dev/zero of="$WORK/small/filler" bs=64k 2>/dev/null || true
wait_for 30 grep -q "write failed, new messages are refused" "$WORK/ferry.log" || fail "the full disk was not reported"
kill -0 "$FERRY_PID" || fail "ferry died on a full disk"
grep -q "not accepted: store unavailable" "$WORK/ferry.log" || fail "the source was not told the store is unavailable"
acked_when_full=$(lines_in "$WORK/acked.txt")
rm -f "$WORK/small/filler"
wait_for 30 grep -q "recovered" "$WORK/ferry.log" || fail "the store did not recover after space came back"
wait_for 30 test "$(lines_in "$WORK/acked.txt")" -gt "$acked_when_full" ||
  fail "no message acknowledged after recovery"
stop_ferry
# What was acknowledged but not delivered before the stop is still queued in
# the store: a run without new input delivers it.
config "$WORK/small/var" 0 "$prefix-"
start_ferry "$WORK/cfg.json" info
all_delivered() {
  sort -u "$WORK/acked.txt" | comm -23 - <(sort -u "$WORK/out.txt") >"$WORK/missing"
  [ ! -s "$WORK/missing" ]
}
wait_for 30 all_delivered || fail "acknowledged but not delivered: $(head -3 "$WORK/missing" | cut -c1-40)"
stop_ferry
echo "store_faults: ok"
