# Helpers shared by the http.sender / webhook.sender tests, on top of
# tests/e2e/lib.sh: a recording HTTP peer (peer.py) started and killed here.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
PEER="$FERRY_SOURCE_DIR/tests/e2e/http_sender/peer.py"
PEER_PIDS=()
# libcurl must not take a proxy from the test runner's environment (the
# sender ignores these anyway; this keeps the python clients honest too).
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

cleanup_peers() {
  local pid
  for pid in "${PEER_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  cleanup
}
trap cleanup_peers EXIT

# start_peer <name> [port] [peer.py options...]: records to $WORK/<name>.jsonl,
# answers per $WORK/<name>.control, port in $WORK/<name>.port; sets PEER_PID.
start_peer() {
  local name=$1 port=${2:-0}
  shift $(($# >= 2 ? 2 : 1))
  rm -f "$WORK/$name.port"
  python3 "$PEER" --port "$port" --port-file "$WORK/$name.port" --log "$WORK/$name.jsonl" \
    --control "$WORK/$name.control" "$@" 2>>"$WORK/$name.err" &
  PEER_PID=$!
  PEER_PIDS+=("$PEER_PID")
  disown "$PEER_PID"  # killed on purpose; no "Killed" notice from bash
  wait_for 10 test -s "$WORK/$name.port" || fail "peer $name did not start: $(cat "$WORK/$name.err")"
}

# Requests a peer recorded so far.
requests() { lines_in "$WORK/$1.jsonl"; }

# show <message id> [config]: `ferry messages show --json`
show() { "$FERRY" messages show "$1" --json -c "${2:-$WORK/cfg.json}"; }

# Wait until no delivery of the config is queued any more.
none_queued() { "$FERRY" messages list --status queued --json -c "${1:-$WORK/cfg.json}" | grep -q '^\[\]$'; }
