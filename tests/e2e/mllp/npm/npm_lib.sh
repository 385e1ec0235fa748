# Helpers for the npm interoperability tests; source after tests/e2e/lib.sh.
#
# npm_install puts the pinned packages (package.json + package-lock.json of
# this folder) into $FERRY_BINARY_DIR/npm-cache/<hash>/node_modules with
# `npm ci`, once per lock file content, and exports NODE_PATH so the node
# scripts here find them. Tests running at once (ctest -j) wait for each
# other's install through a lock. No registry, no test: a failed install is a
# failure with the reason, never a skip.
NPM_DIR="$FERRY_SOURCE_DIR/tests/e2e/mllp/npm"

npm_install() {
  command -v node >/dev/null 2>&1 ||
    fail "node not found: these tests need Node.js >= 20.19 and npm (the machine image's 'nodejs' package)"
  command -v npm >/dev/null 2>&1 || fail "npm not found (it comes with the 'nodejs' package of the machine image)"
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
    fail "Node.js $(node --version) is too old: the pinned npm packages need >= 20.19 (@medplum/hl7 4.5.2)"

  local hash root dir tmp lockfd
  hash=$(cat "$NPM_DIR/package.json" "$NPM_DIR/package-lock.json" | sha256sum | cut -c1-16)
  root="$FERRY_BINARY_DIR/npm-cache"
  dir="$root/$hash"
  mkdir -p "$root"
  exec {lockfd}>"$root/.lock"
  flock -w 150 "$lockfd" || fail "waited 150 s for another test's npm install ($root/.lock)"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$root"/.tmp.* "$dir"  # left by an install that was killed
    tmp=$(mktemp -d "$root/.tmp.XXXXXX") && chmod 755 "$tmp"
    cp "$NPM_DIR/package.json" "$NPM_DIR/package-lock.json" "$tmp/"
    echo "npm ci into $dir (first run for this package-lock.json)"
    if ! (cd "$tmp" && timeout 120 npm ci --no-audit --no-fund --engine-strict --ignore-scripts \
            --fetch-retries=2 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=10000 --fetch-timeout=30000 --loglevel=warn --no-update-notifier) >"$tmp/npm.log" 2>&1; then
      tail -n 30 "$tmp/npm.log" >&2
      rm -rf "$tmp"
      fail "npm ci of the pinned HL7 packages failed (log above): the npm registry must be reachable for these tests"
    fi
    mv "$tmp" "$dir"
    touch "$dir/.complete"
    find "$root" -mindepth 1 -maxdepth 1 -type d ! -name "$hash" -exec rm -rf {} +  # older lock files' installs
  fi
  flock -u "$lockfd"
  exec {lockfd}>&-
  export NODE_PATH="$dir/node_modules"
}

# Runs a node script of this folder with a time limit (seconds).
run_node() {
  local limit=$1; shift
  timeout -k 5 "$limit" node "$NPM_DIR/$1" "${@:2}"
}

# A server test: Ferry's mllp.sender delivers to an npm HL7 server.
# run_server_test SERVER_JS CHANNELS KEEP_CONNECTION
#   SERVER_JS        server_*.js of this folder (usage: PORT PLAN RECORD READY)
#   CHANNELS         for server_setup.js: rich, nack, bulk (comma separated)
#   KEEP_CONNECTION  the sender's keep_connection (true/false)
# One Ferry channel per entry of CHANNELS, each with its own mllp.sender to
# the server; rich and nack read files (file.reader, name order), bulk is a
# testkit.counter. AE is retried every 100 ms, AR fails at once (defaults).
SERVER_PID=""
run_server_test() {
  local server_js=$1 channels=$2 keep=$3 port receipts channel_json="" c
  npm_install
  port=$(free_port)
  receipts=$(run_node 20 server_setup.js "$WORK" "$channels") || fail "server_setup.js"
  node "$NPM_DIR/$server_js" "$port" "$WORK/plan.json" "$WORK/received.jsonl" "$WORK/server.ready" \
    >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  trap 'kill_server; cleanup' EXIT
  wait_for 20 test -f "$WORK/server.ready" || fail "$server_js did not start: $(cat "$WORK/server.log")"

  for c in ${channels//,/ }; do
    local source
    if [ "$c" = bulk ]; then
      source='{"type": "testkit.counter", "config": {"count": 20, "interval_ms": 1, "prefix": "MSH|^~\\&|A|B|C|D|20261126||ADT^A01|C"}}'
    else
      source="{\"type\": \"file.reader\", \"config\": {\"directory\": \"$WORK/in-$c\", \"pattern\": \"*.hl7\",
                \"poll_interval_ms\": 50, \"min_age_ms\": 0, \"done_directory\": \"$WORK/done-$c\",
                \"content_type\": \"application/hl7-v2\"}}"
    fi
    channel_json+="${channel_json:+,}
   {\"id\": \"$c\", \"source\": $source,
    \"destinations\": [{\"id\": \"npm\", \"type\": \"mllp.sender\",
                      \"config\": {\"host\": \"127.0.0.1\", \"port\": $port, \"keep_connection\": $keep,
                                 \"response_timeout_ms\": 5000},
                      \"retry\": {\"backoff\": \"fixed\", \"initial_ms\": 100, \"jitter\": 0}}]}"
  done
  cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["mllp", "file", "testkit"],
 "channels": [$channel_json]}
JSON
  start_ferry "$WORK/cfg.json" info
  wait_lines "$WORK/received.jsonl" "$receipts" 30 ||
    fail "the server got $(lines_in "$WORK/received.jsonl") of $receipts messages; server log: $(cat "$WORK/server.log")"
  wait_for 15 bash -c "'$FERRY' messages list --status queued --json -c '$WORK/cfg.json' | grep -q '^\[\]$'" ||
    fail "deliveries still queued"
  kill -0 "$FERRY_PID" || fail "ferry died"
  stop_ferry
  kill -0 "$SERVER_PID" || fail "$server_js died: $(cat "$WORK/server.log")"
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || fail "$server_js exited with $? on SIGTERM: $(cat "$WORK/server.log")"
  SERVER_PID=""
  run_node 60 check_server.js "$WORK/cfg.json" "$WORK/plan.json" "$WORK/received.jsonl" "$keep" ||
    fail "check (server log: $(cat "$WORK/server.log"))"
  [ ! -s "$WORK/server.log" ] || fail "the server logged errors: $(cat "$WORK/server.log")"
}

kill_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -9 "$SERVER_PID" 2>/dev/null || true; fi
}

# The client tests: one mllp.listener channel, the npm client script sends its
# messages and records them, then check_store.js finds each one in the store.
# client_test <script.js> <label>
client_test() {
  npm_install
  local port
  port=$(free_port)
  cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["mllp", "testkit"],
 "channels": [{"id": "in",
   "source": {"type": "mllp.listener", "config": {"port": $port}},
   "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/out.txt"}}]}]}
JSON
  start_ferry "$WORK/cfg.json" info
  run_node 30 "$1" "$port" "$WORK/sent.json" || fail "$2"
  run_node 30 check_store.js "$WORK/cfg.json" "$WORK/sent.json" || fail "store"
  kill -0 "$FERRY_PID" || fail "ferry died"
  stop_ferry
  echo "mllp npm $2: ok"
}
