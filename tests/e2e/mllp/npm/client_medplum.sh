# mllp.listener against @medplum/hl7 4.5.2 (npm, Hl7Client): five messages of
# different types and versions (one with HL7 escapes and UTF-8, one of
# 200 KB) on one connection; every ACK checked field by field, then every
# message found in the store by control id, byte-identical.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$FERRY_SOURCE_DIR/tests/e2e/mllp/npm/npm_lib.sh"
client_test client_medplum.js "@medplum/hl7 client"
