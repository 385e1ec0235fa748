# Helpers shared by the file plugin's e2e tests; source after lib.sh.
#
# The tests write their configs with unquoted heredocs (for $WORK), so a
# writer placeholder appears there as \${meta:filename}: the backslash is for
# bash only, and the config file holds ${meta:filename} exactly as a user
# writes it (the loader expands only ${env:...} and ${file:...}).

# The engine block of the test configs: the store (engine.data_dir, i.e.
# ferry.db) inside this test's $WORK, both plugin folders, plus any extra
# keys given as JSON members, e.g. engine_json '"workers": 4'.
engine_json() {
  printf '{"data_dir": "%s", "plugin_dirs": ["%s", "%s"], "shutdown_timeout_ms": 5000%s}' \
    "$WORK/var" "$FERRY_PLUGIN_DIR" "$FERRY_TEST_PLUGIN_DIR" "${1:+, $1}"
}

# drop <dir> <name> <content>: write under a hidden temp name, then rename
# into place, as a well-behaved producer does.
drop() {
  printf '%s' "$3" >"$1/.$2.part"
  mv "$1/.$2.part" "$1/$2"
}

# Number of visible regular files in a folder (0 if it does not exist).
files_in() {
  if [ -d "$1" ]; then find "$1" -maxdepth 1 -type f ! -name '.*' | wc -l | tr -d ' '; else echo 0; fi
}

# True when a file exists with exactly these bytes.
has_content() { [ -f "$1" ] && cmp -s "$1" <(printf '%s' "$2"); }

# Number of log lines matching a fixed string.
log_count() { grep -cF -- "$1" "$WORK/ferry.log" || true; }

# For wait_for: at least N lines in a file; exactly N visible files in a folder.
lines_at_least() { [ "$(lines_in "$1")" -ge "$2" ]; }
file_count_is() { [ "$(files_in "$1")" -eq "$2" ]; }
