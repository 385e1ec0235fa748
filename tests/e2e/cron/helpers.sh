# Helpers shared by the cron plugin's e2e tests; source after lib.sh.
#
# The configs are unquoted heredocs (for $WORK): a template placeholder is
# written \${iso_time} there, so the file holds ${iso_time} as a user
# writes it.

# The engine block: the store in $WORK, the in-tree and test plugin folders,
# plus extra members given as JSON, e.g. engine_json '"workers": 4'.
engine_json() {
  printf '{"data_dir": "%s", "plugin_dirs": ["%s", "%s"], "shutdown_timeout_ms": 5000%s}' \
    "$WORK/var" "$FERRY_PLUGIN_DIR" "$FERRY_TEST_PLUGIN_DIR" "${1:+, $1}"
}

now_ms() { date +%s%3N; }

# Sleep until the wall clock reaches the given Unix ms (no-op if past).
sleep_until_ms() {
  local wait_ms=$(($1 - $(now_ms)))
  if [ "$wait_ms" -gt 0 ]; then sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))"; fi
}

# Number of visible regular files in a folder (0 if it does not exist).
files_in() {
  if [ -d "$1" ]; then find "$1" -maxdepth 1 -type f ! -name '.*' | wc -l | tr -d ' '; else echo 0; fi
}
files_at_least() { [ "$(files_in "$1")" -ge "$2" ]; }
