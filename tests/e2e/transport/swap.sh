# One channel, four transport pairs, no rebuild: MLLP -> HTTP, HTTP -> MLLP,
# HTTP -> file and file -> webhook. The same three ADT messages go in each
# time; each run checks that exactly those messages arrive, changed only by
# the channel's transformer (MSH-5 set to FERRY), over real peers: mllp_send
# and curl as clients, a recording HTTP server, an MLLP receiver.
source "$FERRY_SOURCE_DIR/tests/e2e/http_sender/lib.sh"
HERE="$FERRY_SOURCE_DIR/tests/e2e/transport"
export SWAP_SECRET=swap-test-secret

ids=(SWAP1 SWAP2 SWAP3)
adt() {
  printf 'MSH|^~\\&|EPIC|HOSP|LAB|HOSP|20261126120000||ADT^A01|%s|P|2.5\rPID|1||%s^^^MRN||DOE^JANE\r' "$1" "${1#SWAP}00"
}
expected() { adt "$1" | sed 's/|LAB|/|FERRY|/'; }

send_in() {  # send_in <source kind> <port>
  local id
  for id in "${ids[@]}"; do
    adt "$id" >"$WORK/msg-$id.hl7"
    case $1 in
      mllp)  # mllp_send reads framed messages from a file
        { printf '\x0b'; cat "$WORK/msg-$id.hl7"; printf '\x1c\r'; } >"$WORK/framed-$id.txt"
        mllp_send -p "$2" -f "$WORK/framed-$id.txt" 127.0.0.1 >"$WORK/ack.txt" 2>&1 || fail "mllp_send $id: $(cat "$WORK/ack.txt")"
        tr '\r' '\n' <"$WORK/ack.txt" | grep -q "^MSA|AA|$id" || fail "no AA for $id: $(cat "$WORK/ack.txt")" ;;
      http)
        local code
        code=$(curl -sS -o "$WORK/resp.txt" -w '%{http_code}' -H 'Content-Type: application/hl7-v2' \
          --data-binary "@$WORK/msg-$id.hl7" "http://127.0.0.1:$2/hl7") || fail "curl $id"
        [ "$code" = 202 ] || fail "http.listener answered $code: $(cat "$WORK/resp.txt")" ;;
      file) cp "$WORK/msg-$id.hl7" "$WORK/in/.$id.tmp" && mv "$WORK/in/.$id.tmp" "$WORK/in/$id.hl7" ;;
    esac
  done
}

# What arrived at the sink, one file per control id in $WORK/got/.
collect_http() {  # collect_http <peer name> <webhook?>
  python3 - "$WORK/$1.jsonl" "$WORK/got" "$2" <<'PY'
import base64, json, sys
log, out, webhook = sys.argv[1], sys.argv[2], sys.argv[3] == "webhook"
for line in open(log):
    req = json.loads(line)
    body = base64.b64decode(req["body_b64"])
    if webhook:
        body = json.loads(body)["data"].encode()
    cid = body.split(b"\r")[0].split(b"|")[9].decode()
    open(f"{out}/{cid}.hl7", "wb").write(body)
PY
}

check_arrived() {
  local id
  for id in "${ids[@]}"; do
    [ -f "$WORK/got/$id.hl7" ] || fail "$1: $id did not arrive"
    # Compared without the final segment separator: mllp_send strips it.
    cmp -s <(expected "$id" | sed '$ s/\r$//') <(sed '$ s/\r$//' "$WORK/got/$id.hl7") ||
      fail "$1: $id arrived changed: $(od -c "$WORK/got/$id.hl7" | tail -4)"
  done
  [ "$(ls "$WORK/got" | wc -l)" -eq 3 ] || fail "$1: $(ls "$WORK/got" | wc -l) messages arrived, expected 3"
  echo "ok: $1"
}

run_pair() {  # run_pair <source> <dest>
  local src=$1 dst=$2 sport sink=0
  rm -rf "$WORK/var" "$WORK/in" "$WORK/out" "$WORK/got" "$WORK"/sink.*
  mkdir -p "$WORK/in" "$WORK/out" "$WORK/got"
  sport=$(free_port)
  case $dst in
    http | webhook) start_peer sink; sink=$(cat "$WORK/sink.port") ;;
    mllp)
      python3 "$HERE/mllp_sink.py" "$WORK/sink.port" "$WORK/got" 3 &
      PEER_PIDS+=($!)
      wait_for 10 test -s "$WORK/sink.port" || fail "mllp sink did not start"
      sink=$(cat "$WORK/sink.port") ;;
  esac
  python3 "$HERE/channel.py" "$src" "$dst" "$WORK" "$FERRY_PLUGIN_DIR" "$sport" "$sink" >"$WORK/cfg.json"
  "$FERRY" check -c "$WORK/cfg.json" >/dev/null || fail "$src -> $dst: config does not check"
  start_ferry "$WORK/cfg.json" info
  send_in "$src" "$sport"
  case $dst in
    http | webhook) wait_for 20 bash -c "[ \$(wc -l <'$WORK/sink.jsonl' 2>/dev/null || echo 0) -ge 3 ]" ||
                      fail "$src -> $dst: the HTTP peer got $(requests sink) request(s)"
                    collect_http sink "$dst" ;;
    file) wait_for 20 bash -c "[ \$(ls '$WORK/out' | wc -l) -ge 3 ]" || fail "$src -> file: nothing written"
          cp "$WORK/out"/*.hl7 "$WORK/got/" ;;
    mllp) wait_for 20 bash -c "[ \$(ls '$WORK/got' | wc -l) -ge 3 ]" || fail "$src -> mllp: nothing received" ;;
  esac
  stop_ferry
  check_arrived "$src -> $dst"
}

run_pair mllp http
run_pair http mllp
run_pair http file
run_pair file webhook
