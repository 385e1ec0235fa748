# Helpers shared by the hl7 plugin's e2e tests; source after lib.sh.
TRANSFORMER_PLUGIN=hl7
source "$FERRY_SOURCE_DIR/tests/e2e/transformer_channels.sh"

# transform_json <rules JSON array>: one hl7.transform transformer, as an array.
transform_json() { printf '[{"type": "hl7.transform", "config": {"rules": %s}}]' "$1"; }

