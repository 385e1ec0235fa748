# Helpers shared by the email plugin's e2e tests; source after lib.sh.
# They start real servers on 127.0.0.1 (aiosmtpd, dovecot), each stopped
# when the test exits, and make a test CA with the openssl CLI.
#
# The configs are written with unquoted heredocs (for $WORK), so a template
# placeholder appears there as \${meta:filename}: the config file holds
# ${meta:filename} exactly as a user writes it.

EMAIL_DIR="$FERRY_SOURCE_DIR/tests/e2e/email"
# Debian's python3 (the one python3-aiosmtpd belongs to), even when another
# python3 comes first in PATH.
PY=python3
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; fi
"$PY" -c 'import aiosmtpd' 2>/dev/null || fail "python3-aiosmtpd is missing (.ci/install-deps)"
command -v openssl >/dev/null || fail "openssl CLI missing"

SERVER_PIDS=()
DOVECOT_PID=""
email_cleanup() {
  local pid
  if [ -n "$DOVECOT_PID" ] && kill -0 "$DOVECOT_PID" 2>/dev/null; then stop_dovecot; fi
  for pid in "${SERVER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${SERVER_PIDS[@]}"; do
    # Bounded: a server that ignores SIGTERM gets SIGKILL after 5 s.
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap 'email_cleanup; cleanup' EXIT

engine_json() {
  printf '{"data_dir": "%s", "plugin_dirs": ["%s", "%s"], "shutdown_timeout_ms": 5000%s}' \
    "$WORK/var" "$FERRY_PLUGIN_DIR" "$FERRY_TEST_PLUGIN_DIR" "${1:+, $1}"
}

# A test CA (ca.pem), a server certificate for localhost/127.0.0.1 signed by
# it (server.pem, server.key) and an unrelated CA (otherca.pem).
make_certs() {
  local d="$WORK/certs"
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Ferry test CA" \
    -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Other CA" \
    -keyout "$d/otherca.key" -out "$d/otherca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$d/server.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
    -extfile "$d/server.ext" -out "$d/server.pem" 2>/dev/null
  [ -s "$d/server.pem" ] || fail "could not make test certificates"
  chmod 644 "$d"/*.pem "$d"/*.key  # dovecot reads them as its own user
  CERTS="$d"
}

# start_smtp <name> [smtp_server.py options...]: a real SMTP server whose
# received mails land in $WORK/<name>/; sets SMTP_PORT.
start_smtp() {
  local name=$1
  shift
  SMTP_PORT=$(free_port)
  "$PY" "$EMAIL_DIR/smtp_server.py" --port "$SMTP_PORT" --out "$WORK/$name" --ready "$WORK/$name.ready" "$@" \
    >"$WORK/$name.log" 2>&1 &
  SERVER_PIDS+=($!)
  wait_for 20 test -f "$WORK/$name.ready" || { cat "$WORK/$name.log" >&2; fail "SMTP server $name did not start"; }
}

# start_silent <name>: a TCP server on 127.0.0.1 that accepts connections
# and never says a word (appends a line to $WORK/<name>.accepted per
# connection); sets SILENT_PORT.
start_silent() {
  SILENT_PORT=$(free_port)
  "$PY" -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
held = []
while True:
    c, _ = s.accept()
    held.append(c)
    with open(sys.argv[2], "a") as f:
        f.write("accepted\n")
' "$SILENT_PORT" "$WORK/$1.accepted" >/dev/null 2>&1 &
  SERVER_PIDS+=($!)
  wait_for 20 "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $SILENT_PORT), 1).close()" ||
    fail "silent server did not start"
}

# Number of mails an SMTP server received.
mails_in() { find "$WORK/$1" -maxdepth 1 -name '*.eml' 2>/dev/null | wc -l | tr -d ' '; }
mail_count_is() { [ "$(mails_in "$1")" -eq "$2" ]; }

# start_dovecot: a throwaway dovecot (IMAP on IMAP_PORT, IMAPS on
# IMAPS_PORT, loopback only) with user alice/secret and a maildir under
# $WORK/dovecot. Run as root it drops to "nobody" for the mailbox; run as
# another user it stays that user. Needs make_certs first.
start_dovecot() {
  command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ] || fail "dovecot-imapd is missing (.ci/install-deps)"
  local dovecot=/usr/sbin/dovecot
  [ -x "$dovecot" ] || dovecot=$(command -v dovecot)
  local d="$WORK/dovecot"
  mkdir -p "$d/mail/alice"
  chmod 711 "$WORK"
  chmod 755 "$d"
  IMAP_PORT=$(free_port)
  IMAPS_PORT=$(free_port)
  local uid gid extra=""
  if [ "$(id -u)" -eq 0 ]; then
    uid=$(id -u nobody)
    gid=$(id -g nobody)
    chown -R "$uid:$gid" "$d/mail"
  else
    uid=$(id -u)
    gid=$(id -g)
    local me group
    me=$(id -un)
    group=$(id -gn)
    extra="default_internal_user = $me
default_internal_group = $group
default_login_user = $me
service anvil {
  chroot =
}
service imap-login {
  chroot =
}"
  fi
  printf 'alice:{PLAIN}secret:%s:%s::%s::\n' "$uid" "$gid" "$d/mail/alice" >"$d/passwd"
  chmod 644 "$d/passwd"
  cat >"$d/dovecot.conf" <<CONF
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <$CERTS/server.pem
ssl_key = <$CERTS/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login
# No slowed-down logins after a test's deliberate wrong password.
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $d/passwd
}
mail_location = maildir:$d/mail/%u
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0600
  }
}
$extra
CONF
  DOVECOT_BIN=$dovecot
  launch_dovecot
}

# (Re)start the dovecot configured by start_dovecot; sets DOVECOT_PID.
launch_dovecot() {
  local d="$WORK/dovecot"
  # -F: in the foreground, so this process is the one to stop.
  "$DOVECOT_BIN" -F -c "$d/dovecot.conf" >>"$d/stdout.log" 2>&1 &
  DOVECOT_PID=$!
  SERVER_PIDS+=($DOVECOT_PID)
  wait_for 20 "$PY" -c "import imaplib; c = imaplib.IMAP4('127.0.0.1', $IMAP_PORT); c.login('alice', 'secret'); c.logout()" \
    2>/dev/null || { cat "$d/stdout.log" "$d/dovecot.log" >&2 2>/dev/null; fail "dovecot did not start"; }
}

# Stop dovecot and every connection it serves (its imap and imap-login
# processes outlive the master otherwise); bounded.
stop_dovecot() {
  # The sessions first, while the master is there to reap them.
  local sessions
  sessions=$(ps -o pid=,args= --ppid "$DOVECOT_PID" | awk '$2 ~ /^dovecot\/imap/ {print $1}')
  # shellcheck disable=SC2086
  [ -z "$sessions" ] || kill -9 $sessions 2>/dev/null || true
  kill "$DOVECOT_PID" 2>/dev/null || true
  wait_for 10 bash -c "! kill -0 $DOVECOT_PID 2>/dev/null" || kill -9 "$DOVECOT_PID" 2>/dev/null || true
}

# mailbox <command...>: tests/e2e/email/mailbox.py against the dovecot.
mailbox() { "$PY" "$EMAIL_DIR/mailbox.py" --port "$IMAP_PORT" "$@"; }

# ferry messages show ID --json, one field by a python expression over m,
# e.g. show_json 3 'm["deliveries"][0]["attempts"]'.
show_json() {
  "$FERRY" messages show "$1" --json -c "$WORK/cfg.json" | "$PY" -c "import json, sys; m = json.load(sys.stdin); print($2)"
}

# Number of log lines matching a fixed string.
log_count() { grep -cF -- "$1" "$WORK/ferry.log" || true; }
