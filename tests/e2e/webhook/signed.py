"""Posts a webhook signed the way Ferry's schemes do, with Python's hmac
module, writes the answer as JSON {"status", "body", "headers"} to
answer.json and checks it.

  signed.py URL SCHEME SECRET BODY [--sign-body B] [--t UNIX] [--id ID] [--no-signature]
            [--status N] [--check PYTHON-EXPRESSION-ON-r]

--sign-body signs other bytes than the ones sent (a tampered body)."""
import argparse
import base64
import hashlib
import hmac
import http.client
import json
import time
import urllib.parse

p = argparse.ArgumentParser()
p.add_argument("url")
p.add_argument("scheme", choices=["generic", "github", "frappe"])
p.add_argument("secret")
p.add_argument("body")
p.add_argument("--sign-body")
p.add_argument("--t", type=int)
p.add_argument("--id")
p.add_argument("--no-signature", action="store_true")
p.add_argument("--status", type=int)
p.add_argument("--check", default="True")
a = p.parse_args()

body = a.body.encode()
signed = (a.sign_body if a.sign_body is not None else a.body).encode()
key = a.secret.encode()
headers = {"Content-Type": "application/json"}
if not a.no_signature:
    if a.scheme == "generic":
        t = a.t if a.t is not None else int(time.time())
        mac = hmac.new(key, str(t).encode() + b"." + signed, hashlib.sha256).hexdigest()
        headers["X-Ferry-Signature"] = f"t={t},v1={mac}"
    elif a.scheme == "github":
        headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(key, signed, hashlib.sha256).hexdigest()
    else:
        headers["X-Frappe-Webhook-Signature"] = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
if a.id:
    headers["X-GitHub-Delivery" if a.scheme == "github" else "X-Webhook-Id"] = a.id
u = urllib.parse.urlsplit(a.url)
c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
c.request("POST", u.path, body=body, headers=headers)
r = c.getresponse()
answer = {"status": r.status, "body": json.loads(r.read() or b"null"),
          "headers": {k.lower(): v for k, v in r.getheaders()}}
with open("answer.json", "w") as f:
    json.dump(answer, f)
r = answer
if a.status is not None and r["status"] != a.status:
    raise SystemExit(f"status {r['status']}, expected {a.status}: {r}")
if not eval(a.check):
    raise SystemExit(f"check failed: {a.check}: {r}")
