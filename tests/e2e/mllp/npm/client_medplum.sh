# mllp.listener against @medplum/hl7 4.5.2 (npm, Hl7Client): five messages of
# different types and versions (one with HL7 escapes and UTF-8, one of
# 200 KB) on one connection; every ACK checked field by field, then every
# message found in the store by control id, byte-identical.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$FERRY_SOURCE_DIR/tests/e2e/mllp/npm/npm_lib.sh"
npm_install

port=$(free_port)
cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["mllp", "testkit"],
 "channels": [{"id": "in",
   "source": {"type": "mllp.listener", "config": {"port": $port}},
   "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/out.txt"}}]}]}
JSON
start_ferry "$WORK/cfg.json" info
run_node 30 client_medplum.js "$port" "$WORK/sent.json" || fail "@medplum/hl7 client"
run_node 30 check_store.js "$WORK/cfg.json" "$WORK/sent.json" || fail "store"
kill -0 "$FERRY_PID" || fail "ferry died"
stop_ferry
echo "mllp npm @medplum/hl7 client: ok"
