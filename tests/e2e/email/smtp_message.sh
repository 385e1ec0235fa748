# email.smtp builds a correct mail: an ORU^R01 lab result goes to a real
# SMTP server (aiosmtpd) with a UTF-8 subject, text and HTML bodies, the PDF
# from OBX-5.5 decoded as an attachment and the HL7 message itself attached.
# Python's email package parses what the server received. A templated value
# with CR/LF cannot inject a header or a recipient, and an invalid address
# fails the message without sending anything.
source "$FERRY_SOURCE_DIR/tests/e2e/lib.sh"
source "$FERRY_SOURCE_DIR/tests/e2e/email/helpers.sh"
cd "$WORK"
mkdir -p in json

start_smtp smtp
# A "PDF" with every byte value, so any transfer-encoding slip shows.
"$PY" -c 'import sys; sys.stdout.buffer.write(b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")' >report.pdf
pdf_b64=$(base64 -w0 report.pdf)
printf 'MSH|^~\\&|LIS|LAB|EHR|CLINIC|20261126083000||ORU^R01^ORU_R01|MSG0001|P|2.5\rPID|1||12345^^^HOSP^MR||M\xc3\xbcller^J\xc3\xbcrgen||19700101|M\rOBR|1||R-77|24331-1^Lipid panel^LN\rOBX|1|ED|PDF^Report^L||^application^pdf^Base64^%s||||||F\r' \
  "$pdf_b64" >oru.hl7

cat >cfg.json <<JSON
{"engine": $(engine_json),
 "plugins": ["file", "email"],
 "channels": [
  {"id": "results",
   "source": {"type": "file.reader", "config": {"directory": "$WORK/in", "poll_interval_ms": 100, "min_age_ms": 0,
                                                 "content_type": "application/hl7-v2"}},
   "destinations": [{"id": "clinic", "type": "email.smtp", "config": {
      "host": "127.0.0.1", "port": $SMTP_PORT, "security": "none",
      "from": "Labor Süd <lab@example.org>",
      "to": "Klinik Nord <clinic@example.org>",
      "cc": "\"Archive, Lab\" <archive@example.org>",
      "bcc": "audit@example.org",
      "reply_to": "Lab Help Desk <help@example.org>",
      "subject": "Befund für \${PID-5.2} \${PID-5.1} – \${OBR-4.2}",
      "text": "Result \${OBX-3.2} for patient \${PID-3.1}.\nFerry message \${message_id}.",
      "html": "<p>Befund für <b>\${PID-5.1}</b></p>",
      "attachments": [
        {"content": "\${OBX-5.5}", "decode": "base64", "name": "befund-\${PID-3.1}.pdf", "type": "application/pdf", "required": true},
        {"name": "message-\${message_id}.hl7", "type": "application/hl7-v2"}],
      "headers": {"X-Patient-Id": "\${PID-3.1}"}}}]},
  {"id": "alerts",
   "source": {"type": "file.reader", "config": {"directory": "$WORK/json", "poll_interval_ms": 100, "min_age_ms": 0,
                                                 "content_type": "application/json"}},
   "destinations": [{"id": "oncall", "type": "email.smtp", "config": {
      "host": "127.0.0.1", "port": $SMTP_PORT, "security": "none",
      "from": "ferry@example.org", "to": "\${/to}", "subject": "\${/subject}", "text": "\${/text}",
      "headers": {"X-Alert": "\${/subject}"}}}]}]}
JSON
"$FERRY" check -c cfg.json >/dev/null || fail "config check failed: $("$FERRY" check -c cfg.json 2>&1)"
start_ferry cfg.json

cp oru.hl7 in/oru.hl7
wait_for 20 mail_count_is smtp 1 || fail "the ORU mail did not arrive"

"$PY" - "$WORK/smtp/0001.eml" "$WORK/smtp/0001.json" "$WORK/report.pdf" "$WORK/oru.hl7" <<'PY' || fail "the ORU mail is not right"
import email, email.policy, email.utils, json, re, sys, time
raw = open(sys.argv[1], "rb").read()
env = json.load(open(sys.argv[2]))
pdf = open(sys.argv[3], "rb").read()
hl7 = open(sys.argv[4], "rb").read()

def check(ok, what):
    if not ok:
        sys.exit("FAIL: " + what)

# Every line ends in CRLF and is at most 998 bytes (RFC 5322 2.1.1).
lines = raw.split(b"\r\n")
check(all(b"\n" not in l and b"\r" not in l for l in lines), "bare CR or LF")
check(max(len(l) for l in lines) <= 998, "a line longer than 998 bytes")

m = email.message_from_bytes(raw, policy=email.policy.default)
check(env["mail_from"] == "lab@example.org", "MAIL FROM " + env["mail_from"])
check(sorted(env["rcpt_tos"]) == ["archive@example.org", "audit@example.org", "clinic@example.org"], str(env["rcpt_tos"]))
check(m["Subject"] == "Befund für Jürgen Müller – Lipid panel", "Subject " + repr(m["Subject"]))
check(m["From"].addresses[0].display_name == "Labor Süd", "From " + str(m["From"]))
check(m["From"].addresses[0].addr_spec == "lab@example.org", "From address")
check(str(m["To"]) == "Klinik Nord <clinic@example.org>", "To " + str(m["To"]))
check(m["Cc"].addresses[0].display_name == "Archive, Lab", "Cc " + str(m["Cc"]))
check(m["Reply-To"].addresses[0].addr_spec == "help@example.org", "Reply-To")
check(m["Bcc"] is None and b"audit@" not in raw, "Bcc must not appear in the mail")
check(re.fullmatch(r"<ferry\.\d+\.[0-9a-f]{16}@example\.org>", m["Message-ID"]) is not None, "Message-ID " + m["Message-ID"])
check(abs(email.utils.parsedate_to_datetime(m["Date"]).timestamp() - time.time()) < 300, "Date " + m["Date"])
check(m["MIME-Version"] == "1.0", "MIME-Version")
check(m["X-Patient-Id"] == "12345", "X-Patient-Id")
check(m.get_content_type() == "multipart/mixed", m.get_content_type())
alt = m.get_payload()[0]
check(alt.get_content_type() == "multipart/alternative", "first part " + alt.get_content_type())
text = m.get_body(("plain",)).get_content()
check("Result Report for patient 12345." in text and re.search(r"Ferry message \d+\.", text), "text " + repr(text))
check("Befund für <b>Müller</b>" in m.get_body(("html",)).get_content(), "html body")
atts = list(m.iter_attachments())
check([a.get_filename() for a in atts][:1] == ["befund-12345.pdf"], "attachment names " + str([a.get_filename() for a in atts]))
check(atts[0].get_content_type() == "application/pdf", "pdf type")
check(atts[0].get_content() == pdf, "PDF bytes differ")
check(re.fullmatch(r"message-\d+\.hl7", atts[1].get_filename() or ""), "message attachment name")
check(atts[1].get_payload(decode=True) == hl7, "attached HL7 message differs")
PY

# A value with CR/LF stays inside its header; nothing reaches the envelope.
printf '{"to": "oncall@example.org", "subject": "Disk full\\r\\nBcc: evil@example.org\\r\\n\\r\\nbody", "text": "x"}' >json/.a.part
mv json/.a.part json/a.json
wait_for 20 mail_count_is smtp 2 || fail "the alert mail did not arrive"
"$PY" - "$WORK/smtp/0002.eml" "$WORK/smtp/0002.json" <<'PY' || fail "a header was injected"
import email, email.policy, json, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
env = json.load(open(sys.argv[2]))
assert env["rcpt_tos"] == ["oncall@example.org"], env
assert m["Bcc"] is None, m["Bcc"]
assert m["Subject"] == "Disk full  Bcc: evil@example.org    body", repr(m["Subject"])
assert m["X-Alert"] == m["Subject"], m["X-Alert"]
assert m.get_content().strip() == "x", repr(m.get_content())
PY

# An address with CR/LF is not an address: the message fails, nothing is sent.
printf '{"to": "oncall@example.org>\\r\\nRCPT TO:<evil@example.org", "subject": "s", "text": "x"}' >json/.b.part
mv json/.b.part json/b.json
wait_for 20 grep -q "not a valid mail address" ferry.log || fail "the bad address was not refused"
id=$("$FERRY" messages search --status error -c cfg.json | awk 'NR==2 {print $1}')
[ -n "$id" ] || fail "no message in status error"
show_json "$id" 'm["destinations"][0]["last_error"]' | grep -q "to: not a valid mail address" || fail "error text does not name the key"
sleep 0.5
[ "$(mails_in smtp)" -eq 2 ] || fail "a mail was sent for the invalid address"
stop_ferry
echo "email smtp message: ok"
