"""A real HTTP(S) server for the http.sender / webhook.sender tests.

Records every request as one JSON line (method, path, headers, body in
base64, client port, time) in --log, flushed before answering. Answers 200
with a small JSON body unless the control file says otherwise: each request
takes the first line of --control (the line is removed), e.g.

    500
    429 retry-after=2
    400 body=no+such+patient
    200 delay=3000          (answer after 3 s)

Options: --port (0: any; the port is written to --port-file), --tls CERT KEY,
--client-ca CA (require a client certificate signed by CA). Every socket has
a timeout; the server runs until killed.
"""
import argparse
import base64
import http.server
import json
import os
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse

LOCK = threading.Lock()


def next_answer(control):
    """Pops the first line of the control file: (status, options)."""
    with LOCK:
        if not control or not os.path.exists(control):
            return 200, {}
        with open(control) as f:
            lines = [l for l in f.read().splitlines() if l.strip()]
        if not lines:
            return 200, {}
        with open(control + ".tmp", "w") as f:
            f.write("".join(l + "\n" for l in lines[1:]))
        os.replace(control + ".tmp", control)
    words = lines[0].split()
    opts = dict(w.split("=", 1) for w in words[1:] if "=" in w)
    return int(words[0]), opts


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse is visible
    timeout = 30
    counter = 0

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with LOCK:
            Handler.counter += 1
            n = Handler.counter
            record = {
                "n": n,
                "method": self.command,
                "path": self.path,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body_b64": base64.b64encode(body).decode(),
                "client_port": self.client_address[1],
                "time": time.time(),
            }
            with open(self.server.log_path, "a") as f:
                f.write(json.dumps(record) + "\n")
        status, opts = next_answer(self.server.control)
        if "delay" in opts:
            time.sleep(int(opts["delay"]) / 1000.0)
        text = urllib.parse.unquote_plus(opts.get("body", "")) if "body" in opts else json.dumps({"ok": status < 300, "n": n})
        payload = text.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if "body" not in opts else "text/plain")
            self.send_header("X-Peer", "ferry-test")
            self.send_header("Content-Length", str(len(payload)))
            if "retry-after" in opts:
                self.send_header("Retry-After", opts["retry-after"])
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except OSError:
            pass  # the client gave up (timeout test)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--control", default="")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--client-ca")
    a = ap.parse_args()
    server = Server(("127.0.0.1", a.port), Handler)
    server.log_path = a.log
    server.control = a.control
    if a.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls[0], a.tls[1])
        if a.client_ca:
            ctx.load_verify_locations(a.client_ca)
            ctx.verify_mode = ssl.CERT_REQUIRED
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(a.port_file + ".tmp", a.port_file)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
