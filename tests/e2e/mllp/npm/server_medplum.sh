# mllp.sender against @medplum/hl7 4.5.2's Hl7Server (npm): 25 messages
# (escapes, UTF-8, 200 KB, several versions) from files, 20 MSH-only
# messages from testkit.counter, and three answered AE-then-AA, AR and AA;
# one persistent connection per channel. Every message arrives once (AE:
# twice), in order, unchanged; Ferry records each outcome with the ACK.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$FERRY_SOURCE_DIR/tests/e2e/mllp/npm/npm_lib.sh"
run_server_test server_medplum.js rich,nack,bulk true
echo "mllp npm @medplum/hl7 server: ok"
