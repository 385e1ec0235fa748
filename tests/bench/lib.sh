# Shared by the benchmark scripts (run.sh, http_listener.sh, http_sender.sh,
# lua.sh): logging, a temp dir and results dir, and processes that are always
# stopped on exit. Source it after setting BENCH_TAG (the log prefix).

say() { echo "[${BENCH_TAG:-bench} $(date +%H:%M:%S)] $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
wants() { [[ " $ONLY " == *" $1 "* ]]; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# Wait (bounded) until a command succeeds: wait_for <seconds> <command...>
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
}

stop_process() {  # SIGTERM, bounded wait, then SIGKILL
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  wait_for 60 bash -c "! kill -0 $pid 2>/dev/null" || { say "pid $pid did not stop in 60 s; killing"; kill -KILL "$pid" 2>/dev/null || true; }
  wait "$pid" 2>/dev/null || true
}

# bench_workspace <temp name> <results prefix>: sets TMP (removed on exit
# unless BENCH_KEEP=1) and RESULTS ($BUILD/bench-results/<prefix><time>);
# every pid added to PIDS is stopped on exit.
bench_workspace() {
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  RESULTS="$BUILD/bench-results/$2$(date +%Y%m%dT%H%M%S)"
  mkdir -p "$RESULTS"
  PIDS=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}
bench_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "${BENCH_KEEP:-0}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi
}
