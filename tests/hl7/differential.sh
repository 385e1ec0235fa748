#!/usr/bin/env bash
# Runs differential.py with a Python that has the `hl7` module: Debian's
# python3-hl7 installs it for /usr/bin/python3, which need not be the
# python3 first on PATH (pyenv, venvs).
# usage: differential.sh DUMP_TOOL CORPUS_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for py in /usr/bin/python3 python3; do
  if command -v "$py" >/dev/null && "$py" -c 'import hl7' 2>/dev/null; then
    exec "$py" "$here/differential.py" "$@"
  fi
done
echo "no python3 with the hl7 module: install Debian's python3-hl7 (apt-get install python3-hl7)" >&2
exit 1
