# The SDK is enough to build a plugin: install it to a prefix, build the plain
# C example from its own folder with find_package (and once with pkg-config),
# then load and run it in the host.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"

cmake --install "$FERRY_BINARY_DIR" --prefix "$WORK/prefix" >"$WORK/install.log" 2>&1 || fail "install: $(cat "$WORK/install.log")"
for f in include/ferry/plugin.h include/ferry/plugin.hpp lib/cmake/FerrySDK/FerrySDKConfig.cmake \
         lib/cmake/FerrySDK/FerryPlugin.cmake share/pkgconfig/ferry-sdk.pc; do
  [ -f "$WORK/prefix/$f" ] || fail "SDK install lacks $f"
done

# CMake consumer: a copy of the example, so nothing of the source tree leaks in.
cp -r "$FERRY_SOURCE_DIR/sdk/examples/hello" "$WORK/hello"
cmake -S "$WORK/hello" -B "$WORK/hello-build" -DCMAKE_PREFIX_PATH="$WORK/prefix" -DCMAKE_BUILD_TYPE=Release \
  >"$WORK/cmake.log" 2>&1 || fail "configure: $(cat "$WORK/cmake.log")"
cmake --build "$WORK/hello-build" >"$WORK/build.log" 2>&1 || fail "build: $(cat "$WORK/build.log")"
[ -f "$WORK/hello-build/hello.so" ] || fail "no hello.so"
nm -D --defined-only "$WORK/hello-build/hello.so" | grep -q " T ferry_plugin_entry$" || fail "entry symbol not exported"
exported=$(nm -D --defined-only "$WORK/hello-build/hello.so" | grep -c " T " || true)
[ "$exported" -eq 1 ] || fail "hello.so exports $exported functions; only ferry_plugin_entry should be visible"

# pkg-config consumer: one compiler line.
mkdir -p "$WORK/pc"
PKG_CONFIG_PATH="$WORK/prefix/share/pkgconfig" cc -std=c11 -pedantic -Wall -Wextra -Werror -shared -fPIC \
  $(PKG_CONFIG_PATH="$WORK/prefix/share/pkgconfig" pkg-config --cflags ferry-sdk) \
  "$WORK/hello/hello.c" -o "$WORK/pc/hello.so" || fail "pkg-config build"

for dir in "$WORK/hello-build" "$WORK/pc"; do
  cat >"$WORK/cfg.json" <<JSON
{"engine": {"plugin_dirs": ["$dir", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["hello", "testkit"],
 "channels": [{"id": "c", "source": {"type": "testkit.counter", "config": {"count": 3, "prefix": "hi-"}},
               "transformers": [{"type": "hello.upper", "config": {"prefix": ">"}}],
               "destinations": [{"id": "d", "type": "testkit.sink",
                                 "config": {"path": "$WORK/out.txt", "with_meta": true}}]}]}
JSON
  rm -f "$WORK/out.txt"
  "$FERRY" check -c "$WORK/cfg.json" >/dev/null || fail "check with $dir/hello.so"
  "$FERRY" plugins --plugin-dir "$dir" | grep -q "hello.upper  \[transformer 1.0.0\]" || fail "plugins listing of hello"
  start_ferry "$WORK/cfg.json" info
  wait_lines "$WORK/out.txt" 3 || fail "hello.upper did not deliver"
  stop_ferry
  [ "$(sed -n 2p "$WORK/out.txt")" = ">HI-2|seq=2;hello=upper;" ] || fail "unexpected output: $(cat "$WORK/out.txt")"
done
echo "sdk_out_of_tree: ok"
