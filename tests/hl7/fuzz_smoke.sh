#!/usr/bin/env bash
# Builds the HL7 libFuzzer target straight from the sources (no CMake) with
# clang++ -fsanitize=fuzzer,address,undefined into a temporary directory and
# runs it for 30 seconds on the seed corpora. Fails on any crash, sanitizer
# report, leak, slow input, out-of-memory or failed check of fuzz_parse.cpp.
#
# Needs Debian's clang and libclang-rt-14-dev. Environment:
#   FUZZ_SECONDS  run time (default 30)
#   FUZZ_CXX      compiler (default clang++)
# A failing input is kept in the directory the failure message names.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${FUZZ_SECONDS:-30}
cxx=${FUZZ_CXX:-clang++}

if ! command -v "$cxx" >/dev/null; then
  echo "fuzz_smoke: $cxx not found (apt-get install clang libclang-rt-14-dev)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ferry-hl7-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
artifacts=$(mktemp -d "${TMPDIR:-/tmp}/ferry-hl7-fuzz-artifacts.XXXXXX")

echo "fuzz_smoke: building with $cxx"
# -fno-sanitize-recover: undefined behaviour must stop the run like a crash.
"$cxx" -std=c++20 -O1 -g -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$root/plugins/hl7lib/include" -I"$root/plugins/hl7lib/src" \
  "$root"/plugins/hl7lib/src/*.cpp "$here/fuzz_parse.cpp" \
  -o "$work/fuzz_parse"

# The first corpus directory receives new inputs; the seeds stay untouched.
mkdir "$work/corpus"
echo "fuzz_smoke: fuzzing for ${seconds}s"
status=0
"$work/fuzz_parse" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" \
  "$work/corpus" "$here/fuzz_corpus" "$here/corpus" || status=$?

if [ "$status" -ne 0 ] || [ -n "$(ls -A "$artifacts")" ]; then
  echo "fuzz_smoke: FAILED (exit $status); failing inputs are in $artifacts" >&2
  echo "fuzz_smoke: reproduce with: <fuzzer binary> $artifacts/<file>" >&2
  exit 1
fi
rmdir "$artifacts"
echo "fuzz_smoke: no failures"
