"""Test-side access to the throwaway dovecot (python3 imaplib, a real IMAP
client independent of Ferry's): compose mails, deliver them by APPEND, and
report what a folder holds.

  mailbox.py compose OUT --message-id ID --subject S [--text T] [--attach NAME=FILE[:TYPE]]...
  mailbox.py --port P append FOLDER FILE...
  mailbox.py --port P state FOLDER        JSON list: uid, flags, message_id, subject
"""
import argparse
import email.policy
import email.utils
import imaplib
import json
import mimetypes
import sys
from email.message import EmailMessage


def compose(a):
    m = EmailMessage()
    m["From"] = a.sender
    m["To"] = "inbox@example.org"
    m["Subject"] = a.subject
    m["Date"] = email.utils.formatdate(1795678931, usegmt=True)
    if a.message_id:
        m["Message-ID"] = a.message_id
    m.set_content(a.text)
    for item in a.attach:
        name, rest = item.split("=", 1)
        path, _, ctype = rest.partition(":")
        ctype = ctype or mimetypes.guess_type(name)[0] or "application/octet-stream"
        maintype, subtype = ctype.split("/", 1)
        with open(path, "rb") as f:
            m.add_attachment(f.read(), maintype=maintype, subtype=subtype, filename=name)
    with open(a.out, "wb") as f:
        f.write(m.as_bytes())


def connect(a):
    c = imaplib.IMAP4("127.0.0.1", a.port)
    c.login(a.user, a.password)
    return c


def append(a):
    c = connect(a)
    c.create(a.folder)  # NO when it exists: fine
    for path in a.files:
        with open(path, "rb") as f:
            typ, data = c.append(a.folder, None, None, f.read())
        if typ != "OK":
            sys.exit(f"APPEND failed: {data}")
    c.logout()


def state(a):
    c = connect(a)
    typ, _ = c.select(a.folder, readonly=True)
    out = []
    if typ == "OK":
        typ, data = c.uid("FETCH", "1:*", "(UID FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID SUBJECT)])")
        for item in data if typ == "OK" else []:
            if not isinstance(item, tuple):
                continue
            meta = item[0].decode()
            uid = int(meta.split("UID ")[1].split()[0])
            flags = meta.split("FLAGS (")[1].split(")")[0].split()
            headers = email.message_from_bytes(item[1], policy=email.policy.default)
            out.append({"uid": uid, "flags": flags, "message_id": headers.get("Message-ID", ""),
                        "subject": str(headers.get("Subject", ""))})
    c.logout()
    json.dump(out, sys.stdout)
    print()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int)
    p.add_argument("--user", default="alice")
    p.add_argument("--password", default="secret")
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compose")
    c.add_argument("out")
    c.add_argument("--message-id", default="")
    c.add_argument("--subject", default="test")
    c.add_argument("--sender", default="Lab <lab@example.org>")
    c.add_argument("--text", default="hello\n")
    c.add_argument("--attach", action="append", default=[])
    ap = sub.add_parser("append")
    ap.add_argument("folder")
    ap.add_argument("files", nargs="+")
    st = sub.add_parser("state")
    st.add_argument("folder")
    a = p.parse_args()
    {"compose": compose, "append": append, "state": state}[a.cmd](a)


if __name__ == "__main__":
    main()
