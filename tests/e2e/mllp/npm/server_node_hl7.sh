# mllp.sender with "keep_connection": false against node-hl7-server 2.5.0
# (npm): 25 messages (escapes, UTF-8, 200 KB, several versions) and three
# answered AE-then-AA, AR and AA, all from files; one connection per
# message, because node-hl7-server answers the k-th message of a connection
# k times (see server_node_hl7.js). Every message arrives once (AE: twice),
# in order, unchanged; Ferry records each outcome with the ACK. No
# testkit.counter channel: node-hl7-server cannot answer a message without
# MSH-12.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$FERRY_SOURCE_DIR/tests/e2e/mllp/npm/npm_lib.sh"
run_server_test server_node_hl7.js rich,nack false
echo "mllp npm node-hl7-server: ok"
