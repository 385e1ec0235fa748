# http.listener authentication: Basic (password from ${env:...}) and Bearer
# (token from ${file:...}); right credentials get 202, wrong or missing ones
# 401 with WWW-Authenticate and a JSON body, logged with the peer and the
# reason, and nothing is stored.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
command -v curl >/dev/null || fail "curl missing"
cd "$WORK"
basic=$(free_port)
bearer=$(free_port)
export HTTP_TEST_PASSWORD='pa:ss wörd'
printf 's3cr3t-token\n' >token.txt
cat >cfg.json <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["http", "testkit"],
 "channels": [
   {"id": "basic",
    "source": {"type": "http.listener",
               "config": {"port": $basic, "path": "/in", "auth": "basic", "username": "lab",
                          "password": "\${env:HTTP_TEST_PASSWORD}"}},
    "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/basic.txt"}}]},
   {"id": "bearer",
    "source": {"type": "http.listener",
               "config": {"port": $bearer, "path": "/in", "auth": "bearer", "token": "\${file:token.txt}"}},
    "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/bearer.txt"}}]}]}
JSON
# A Basic listener without a password is a config error naming the keys.
sed 's/"password": "${env:HTTP_TEST_PASSWORD}"/"password": ""/' cfg.json >nopass.json
"$FERRY" run -c nopass.json >run.txt 2>&1 && fail "a Basic listener without password ran"
grep -qF 'http.listener could not be created: auth \"basic\" needs username and password' run.txt || fail "no clear error: $(cat run.txt)"

start_ferry cfg.json info
# status <expected> <curl args...>
status() {
  local want=$1 got; shift
  got=$(curl -s -o body.txt -D headers.txt -w '%{http_code}' "$@") || true
  [ "$got" = "$want" ] || fail "curl $*: status $got, expected $want: $(cat body.txt 2>/dev/null)"
}
error_text() { python3 -c "import json; print(json.load(open('body.txt'))['error'])"; }

status 202 -u "lab:$HTTP_TEST_PASSWORD" --data-binary basic-ok "http://127.0.0.1:$basic/in"
status 401 --data-binary no-credentials "http://127.0.0.1:$basic/in"
grep -qi '^www-authenticate: Basic realm="ferry"' headers.txt || fail "no Basic challenge: $(cat headers.txt)"
[ "$(error_text)" = "unauthorized: no Authorization header" ] || fail "401 body: $(cat body.txt)"
status 401 -u "lab:wrong" --data-binary wrong-password "http://127.0.0.1:$basic/in"
[ "$(error_text)" = "unauthorized: wrong user name or password" ] || fail "401 body: $(cat body.txt)"
status 401 -u "lab2:$HTTP_TEST_PASSWORD" --data-binary wrong-user "http://127.0.0.1:$basic/in"
status 401 -H 'Authorization: Bearer s3cr3t-token' --data-binary wrong-scheme "http://127.0.0.1:$basic/in"
status 401 -H 'Authorization: Basic %%%' --data-binary not-base64 "http://127.0.0.1:$basic/in"

status 202 -H 'Authorization: Bearer s3cr3t-token' --data-binary bearer-ok "http://127.0.0.1:$bearer/in"
status 202 --oauth2-bearer s3cr3t-token --data-binary bearer-ok2 "http://127.0.0.1:$bearer/in"
status 401 -H 'Authorization: Bearer s3cr3t-tokeN' --data-binary wrong-token "http://127.0.0.1:$bearer/in"
grep -qi '^www-authenticate: Bearer realm="ferry"' headers.txt || fail "no Bearer challenge: $(cat headers.txt)"
status 401 --data-binary no-token "http://127.0.0.1:$bearer/in"
status 401 -u "lab:s3cr3t-token" --data-binary basic-on-bearer "http://127.0.0.1:$bearer/in"

wait_lines basic.txt 1 && wait_lines bearer.txt 2 || fail "accepted messages not delivered"
sleep 0.3
[ "$(cat basic.txt)" = "basic-ok" ] || fail "basic channel got: $(cat basic.txt)"
[ "$(sort bearer.txt | tr '\n' ' ')" = "bearer-ok bearer-ok2 " ] || fail "bearer channel got: $(cat bearer.txt)"
[ "$(grep -c 'refused: 401 unauthorized' ferry.log)" = 8 ] || fail "401s not all logged: $(grep 401 ferry.log)"
grep -q '127.0.0.1:[0-9]* POST /in refused: 401 unauthorized: wrong user name or password' ferry.log ||
  fail "401 log line lacks peer or reason"
grep -q 's3cr3t\|pa:ss' ferry.log && fail "a secret reached the log"
stop_ferry
echo "http auth: ok"
