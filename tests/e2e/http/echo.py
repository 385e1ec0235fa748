"""A real HTTP server for the sync-mode tests: it answers every POST with
201 and the request's own body and Content-Type (so the caller sees exactly
what was sent), after --delay-ms on path /slow; a body containing "reject"
gets 400. Each request's path and body go to --log as one line when it
arrives. The bound port goes to --port-file. Runs until killed."""
import argparse
import http.server
import time


class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(self.server.log, "a") as f:
            f.write(f"{self.path} {body!r}\n")
        if self.path == "/slow":
            time.sleep(self.server.delay_ms / 1000)
        status, ctype = 201, self.headers.get("Content-Type", "application/octet-stream")
        if b"reject" in body:
            status, ctype, body = 400, "application/json", b'{"error": "rejected by the echo server"}'
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


p = argparse.ArgumentParser()
p.add_argument("--port-file", required=True)
p.add_argument("--delay-ms", type=int, default=1500)
p.add_argument("--log", required=True)
a = p.parse_args()
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
server.delay_ms = a.delay_ms
server.log = a.log
with open(a.port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(a.port_file + ".tmp", a.port_file)
server.serve_forever()
