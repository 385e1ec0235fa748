"""A real SMTP server (Debian's python3-aiosmtpd) for the email tests.

Every accepted mail is written to --out as NNNN.eml (the bytes as received)
and NNNN.json (envelope: mail_from, rcpt_tos, the AUTH login if any). The
server runs until SIGTERM/SIGINT. Once it listens it writes its port to
--ready, so the test knows when to start Ferry.

Knobs for the outcomes the tests need:
  --starttls CERT KEY    offer STARTTLS with this certificate
  --implicit-tls         TLS from the first byte (smtps) with that certificate
  --require-starttls     refuse everything but EHLO/STARTTLS/QUIT before TLS
  --auth USER:PASS       require AUTH (PLAIN/LOGIN) with these credentials
  --data-replies 451,550 answer the DATA of the first mails with these codes
                         (then 250): 451 shows a retry, 550 a failure
  --reject-rcpt ADDR=CODE  answer RCPT TO:<ADDR> with CODE (e.g. 550, 450)
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

TEXTS = {
    "450": "4.2.1 mailbox busy, try later",
    "451": "4.3.0 temporary failure, try again later",
    "452": "4.3.1 insufficient system storage",
    "550": "5.1.1 mailbox unavailable",
    "552": "5.3.4 message too big",
    "554": "5.7.1 rejected by policy",
}


def reply(code):
    return f"{code} {TEXTS.get(code, 'test reply')}"


class Handler:
    def __init__(self, out, data_replies, reject_rcpt):
        self.out = out
        self.data_replies = list(data_replies)
        self.reject_rcpt = reject_rcpt
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        code = self.reject_rcpt.get(address.lower())
        if code:
            return reply(code)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.data_replies:
                code = self.data_replies.pop(0)
                if code != "250":
                    return reply(code)
            self.count += 1
            n = self.count
        base = os.path.join(self.out, f"{n:04d}")
        login = session.auth_data
        if isinstance(login, LoginPassword):
            login = login.login.decode()
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json.tmp", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "login": login, "tls": session.ssl is not None or
                       server.transport.get_extra_info("ssl_object") is not None}, f)
        os.rename(base + ".json.tmp", base + ".json")
        os.rename(base + ".eml.tmp", base + ".eml")  # the .eml appears last: the test waits for it
        return "250 2.0.0 queued as test-%04d" % n


def authenticator_for(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
              and auth_data.password.decode() == password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
    return check


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--ready", required=True)
    p.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--implicit-tls", action="store_true")
    p.add_argument("--require-starttls", action="store_true")
    p.add_argument("--auth")
    p.add_argument("--data-replies", default="")
    p.add_argument("--reject-rcpt", action="append", default=[])
    a = p.parse_args()

    os.makedirs(a.out, exist_ok=True)
    rejects = {}
    for item in a.reject_rcpt:
        addr, code = item.rsplit("=", 1)
        rejects[addr.lower()] = code
    handler = Handler(a.out, [c for c in a.data_replies.split(",") if c], rejects)

    context = None
    if a.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*a.starttls)
    smtp_args = {"ident": "ferry-test-smtpd"}
    controller_args = {}
    if context is not None and a.implicit_tls:
        controller_args["ssl_context"] = context
    elif context is not None:
        smtp_args["tls_context"] = context
        smtp_args["require_starttls"] = a.require_starttls
    if a.auth:
        user, password = a.auth.split(":", 1)
        smtp_args["authenticator"] = authenticator_for(user, password)
        smtp_args["auth_required"] = True
        # AUTH over a plain connection is refused unless there is no TLS at all.
        smtp_args["auth_require_tls"] = context is not None
    controller = Controller(handler, hostname="127.0.0.1", port=a.port, **controller_args, **smtp_args)
    controller.start()
    with open(a.ready + ".tmp", "w") as f:
        f.write(str(a.port))
    os.rename(a.ready + ".tmp", a.ready)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    done.wait()
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())
