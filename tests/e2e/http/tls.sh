# http.listener over HTTPS and mutual TLS, certificates made here by the
# openssl CLI, curl as the client: trusted clients are served; a client that
# does not trust the server's CA, a client without a certificate and one with
# a certificate from another CA are refused, and plain HTTP to a TLS port
# gets nothing.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
command -v openssl >/dev/null || fail "openssl CLI missing"
command -v curl >/dev/null || fail "curl missing"
cd "$WORK"

make_ca ca
make_ca otherca
make_cert server ca "subjectAltName=DNS:localhost,IP:127.0.0.1"
make_cert client ca "extendedKeyUsage=clientAuth"
make_cert stranger otherca "extendedKeyUsage=clientAuth"
[ -s server.pem ] && [ -s client.pem ] && [ -s stranger.pem ] || fail "could not make certificates"

tls=$(free_port)
mtls=$(free_port)
cat >cfg.json <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["http", "testkit"],
 "channels": [
   {"id": "tls",
    "source": {"type": "http.listener",
               "config": {"port": $tls, "path": "/in", "tls": true, "tls_certificate": "$WORK/server.pem",
                          "tls_key": "$WORK/server.key", "tls_min_version": "1.3"}},
    "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/tls.txt"}}]},
   {"id": "mtls",
    "source": {"type": "http.listener",
               "config": {"port": $mtls, "path": "/in", "tls": true, "tls_certificate": "$WORK/server.pem",
                          "tls_key": "$WORK/server.key", "tls_ca": "$WORK/ca.pem",
                          "tls_require_client_certificate": true, "header_timeout_ms": 2000}},
    "destinations": [{"id": "out", "type": "testkit.sink", "config": {"path": "$WORK/mtls.txt"}}]}]}
JSON
# A TLS listener whose key file is missing is a clear start error.
sed "s#$WORK/server.key#$WORK/missing.key#" cfg.json >badkey.json
"$FERRY" run -c badkey.json >badkey.txt 2>&1 && fail "a listener with a missing key file ran"
grep -q "TLS: tls_key: cannot read $WORK/missing.key" badkey.txt || fail "no clear error: $(cat badkey.txt)"

start_ferry cfg.json info
grep -q "listening for HTTPS on 127.0.0.1:$tls" ferry.log || fail "listener did not say HTTPS"

# code <expected http code> <curl args...>; curl's exit status goes to rc.txt
code() {
  local want=$1 got rc=0; shift
  got=$(curl -s -o body.txt -w '%{http_code}' --max-time 10 "$@") || rc=$?
  echo "$rc" >rc.txt
  [ "$got" = "$want" ] || fail "curl $*: got $got (curl exit $rc), expected $want"
}

code 202 --cacert ca.pem --data-binary tls-1 "https://localhost:$tls/in"
code 202 --cacert ca.pem --tlsv1.3 --data-binary tls-2 "https://127.0.0.1:$tls/in"
code 000 --cacert ca.pem --tls-max 1.2 --data-binary tls12 "https://localhost:$tls/in"  # below tls_min_version
code 000 --cacert otherca.pem --data-binary untrusted "https://localhost:$tls/in"
[ "$(cat rc.txt)" = 60 ] || fail "a client with another CA: curl exit $(cat rc.txt), expected 60 (peer certificate cannot be authenticated)"
code 000 --data-binary plain "http://127.0.0.1:$tls/in"  # plain HTTP to a TLS port

code 202 --cacert ca.pem --cert client.pem --key client.key --data-binary mtls-1 "https://localhost:$mtls/in"
code 000 --cacert ca.pem --data-binary no-cert "https://localhost:$mtls/in"
code 000 --cacert ca.pem --cert stranger.pem --key stranger.key --data-binary stranger "https://localhost:$mtls/in"
# A client that connects and never starts TLS is dropped at header_timeout_ms.
python3 - "$mtls" <<'PY' || fail "a silent TLS client was not dropped"
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
t0 = time.monotonic()
assert s.recv(10) == b""
assert time.monotonic() - t0 < 5
PY

wait_lines tls.txt 2 && wait_lines mtls.txt 1 || fail "TLS messages not delivered"
sleep 0.3
[ "$(sort tls.txt | tr '\n' ' ')" = "tls-1 tls-2 " ] || fail "tls channel got: $(cat tls.txt)"
[ "$(cat mtls.txt)" = "mtls-1" ] || fail "mtls channel got: $(cat mtls.txt)"
grep -q "closed: TLS handshake failed" ferry.log || fail "refused handshakes not logged"
grep -q "closed: no TLS handshake and request within header_timeout_ms" ferry.log || fail "silent TLS client not logged"
stop_ferry
echo "http tls: ok"
