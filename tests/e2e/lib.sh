# Shared helpers for end-to-end tests. Each test gets its own temporary work
# folder, removed on exit, and any ferry it started is killed on exit.
set -euo pipefail

: "${FERRY:?run through ctest}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ferry-e2e.XXXXXX")
FERRY_PID=""
cleanup() {
  if [ -n "$FERRY_PID" ] && kill -0 "$FERRY_PID" 2>/dev/null; then kill -9 "$FERRY_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  if [ -f "$WORK/ferry.log" ]; then echo "--- ferry log ---" >&2; tail -n 50 "$WORK/ferry.log" >&2; fi
  exit 1
}

# Wait (bounded) until a command succeeds: wait_for <seconds> <command...>
wait_for() {
  local limit=$1; shift
  local deadline=$((SECONDS + limit))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
}

# Start `ferry run -c <config>` in the background, logging to $WORK/ferry.log.
start_ferry() {
  # Emptied here, not by the child's redirection: the wait below must never
  # see the "running" line of a previous start.
  : >"$WORK/ferry.log"
  "$FERRY" run -c "$1" --log-level "${2:-debug}" >>"$WORK/ferry.log" 2>&1 &
  FERRY_PID=$!
  wait_for 20 grep -q "running .* channel" "$WORK/ferry.log" || fail "ferry did not start"
}

# SIGTERM the running ferry; it must exit 0 within the limit.
stop_ferry() {
  kill -TERM "$FERRY_PID"
  local status=0
  wait_for 30 bash -c "! kill -0 $FERRY_PID 2>/dev/null" || fail "ferry did not stop after SIGTERM"
  wait "$FERRY_PID" || status=$?
  FERRY_PID=""
  [ "$status" -eq 0 ] || fail "ferry exited with $status after SIGTERM"
}

# Count lines of a file (0 if missing).
lines_in() { if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi; }

# Wait (bounded) until a file has at least n lines: wait_lines <file> <n> [seconds]
has_lines() { [ "$(lines_in "$1")" -ge "$2" ]; }
wait_lines() { wait_for "${3:-20}" has_lines "$1" "$2"; }

# A TCP port on 127.0.0.1 that is free right now.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Test certificates made by the openssl CLI, in the current folder:
# make_ca <name> gives <name>.pem/.key; make_cert <name> <ca> <x509 extensions>
# gives <name>.pem/.key signed by <ca>.
make_ca() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$1" -keyout "$1.key" -out "$1.pem" 2>/dev/null
}
make_cert() {
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$1.key" -out "$1.csr" 2>/dev/null
  printf '%s\n' "$3" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 2 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
