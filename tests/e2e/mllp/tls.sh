# MLLP over TLS and mutual TLS, certificates made here by the openssl CLI:
# Ferry to Ferry works; a client without a certificate, a client that does
# not trust the server's CA, and a sender with the wrong CA are refused.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
command -v openssl >/dev/null || fail "openssl CLI missing"
PEER="$FERRY_SOURCE_DIR/tests/e2e/mllp/peer.py"
cd "$WORK"

make_ca ca
make_ca otherca
make_cert server ca "subjectAltName=DNS:localhost,IP:127.0.0.1"
make_cert client ca "extendedKeyUsage=clientAuth"
[ -s server.pem ] && [ -s client.pem ] || fail "could not make certificates"

port=$(free_port)
cat >cfg.json <<JSON
{"engine": {"plugin_dirs": ["$FERRY_PLUGIN_DIR", "$FERRY_TEST_PLUGIN_DIR"], "data_dir": "$WORK/var"},
 "plugins": ["mllp", "testkit"],
 "channels": [
   {"id": "in", "source": {"type": "mllp.listener",
      "config": {"port": $port, "tls": true, "tls_certificate": "$WORK/server.pem", "tls_key": "$WORK/server.key",
                 "tls_ca": "$WORK/ca.pem", "tls_require_client_certificate": true}},
    "destinations": [{"id": "file", "type": "testkit.sink", "config": {"path": "$WORK/in.txt"}}]},
   {"id": "out", "source": {"type": "testkit.counter",
      "config": {"count": 5, "interval_ms": 2, "prefix": "MSH|^~\\\\&|A|B|C|D|20261126||ADT^A01|T"}},
    "destinations": [{"id": "tls", "type": "mllp.sender",
      "config": {"host": "localhost", "port": $port, "tls": true, "tls_ca": "$WORK/ca.pem",
                 "tls_certificate": "$WORK/client.pem", "tls_key": "$WORK/client.key"}}]},
   {"id": "wrong-ca", "source": {"type": "testkit.counter",
      "config": {"count": 1, "prefix": "MSH|^~\\\\&|A|B|C|D|20261126||ADT^A01|W"}},
    "destinations": [{"id": "tls", "type": "mllp.sender",
      "config": {"host": "localhost", "port": $port, "tls": true, "tls_ca": "$WORK/otherca.pem",
                 "tls_certificate": "$WORK/client.pem", "tls_key": "$WORK/client.key"},
      "retry": {"backoff": "fixed", "initial_ms": 200}}]}]}
JSON
start_ferry cfg.json info
wait_lines in.txt 5 || fail "TLS Ferry to Ferry: $(lines_in in.txt) of 5"
grep -q "listening for MLLP over TLS" ferry.log || fail "listener did not say TLS"
wait_for 10 grep -q "TLS handshake with localhost:$port failed: .*certificate verify failed" ferry.log ||
  fail "a sender with the wrong CA was not refused clearly"
grep -q "|W1" in.txt && fail "a message went through a sender with the wrong CA"

# An independent client (Python's ssl): with a certificate it is served...
python3 - "$port" "$WORK" <<'PY' || fail "python TLS client with a certificate"
import socket, ssl, sys
port, work = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=f"{work}/ca.pem")
ctx.load_cert_chain(f"{work}/client.pem", f"{work}/client.key")
with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
    with ctx.wrap_socket(raw, server_hostname="localhost") as s:
        s.sendall(b"\x0bMSH|^~\\&|PY|X|Y|Z|20261126||ADT^A01|PY1|P|2.5\r\x1c\r")
        data = b""
        while b"\x1c\r" not in data:
            chunk = s.recv(4096)
            assert chunk, "closed before the ACK"
            data += chunk
        assert b"MSA|AA|PY1" in data, data
PY
# ...without one it is refused.
python3 - "$port" "$WORK" <<'PY' || fail "a client without a certificate was served"
import socket, ssl, sys
port, work = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=f"{work}/ca.pem")
try:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost") as s:
            s.sendall(b"\x0bMSH|^~\\&|PY|X|Y|Z|20261126||ADT^A01|PY2|P|2.5\r\x1c\r")
            if s.recv(4096):
                sys.exit(1)  # answered: mutual TLS not enforced
except (ssl.SSLError, ConnectionError, OSError):
    pass
PY
# A client that does not trust the server's CA refuses the server.
python3 - "$port" "$WORK" <<'PY' || fail "the server's certificate was trusted by a client with another CA"
import socket, ssl, sys
port, work = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=f"{work}/otherca.pem")
ctx.load_cert_chain(f"{work}/client.pem", f"{work}/client.key")
try:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        ctx.wrap_socket(raw, server_hostname="localhost")
    sys.exit(1)
except ssl.SSLCertVerificationError:
    pass
PY
stop_ferry
echo "mllp tls: ok"
