'use strict';
// Shared by the npm interoperability tests: the HL7 v2 messages sent, ACK
// checks done on the raw text (independent of any library's parser), a
// guard that ends a script that hangs, and access to Ferry's store through
// its CLI ($FERRY messages ...).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');

const VT = '\x0b';
const FS = '\x1c';
const CR = '\r';

// A large base64-like OBX-5 (about 200 KB) so a frame spans many TCP reads.
function bigText(bytes) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = '';
  for (let i = 0; s.length < bytes; i++) s += alphabet[(i * 7 + (i >> 6)) % 64];
  return s;
}

// The messages: different types, versions and processing ids; one with HL7
// escapes (\F\ \S\ \T\ \R\ \E\ \.br\ \X0D\) and UTF-8 text (declared in
// MSH-18), one with repetitions and subcomponents, one large. MSH-15/16 are
// left empty on purpose: a valued one asks Ferry for enhanced-mode
// acknowledgements (CA), which these libraries do not expect. `tag` makes
// the control ids unique when two clients share one Ferry store.
function corpus(tag) {
  const id = (n) => `${tag}${n}`;
  const list = [
    ['ADT', 'A01', '2.5', 'P', 'ADMIT', 'NORTH', 'FERRY', 'HUB', '', [
      'EVN|A01|20261126120000',
      'PID|1||1001^^^NORTH^MR||DOE^JANE^Q||19700101|F|||1 MAIN ST^^SPRINGFIELD^IL^62701',
      'PV1|1|I|W1^101^A||||1234^SMITH^JOHN',
    ]],
    ['ORU', 'R01', '2.5.1', 'P', 'LAB', 'HÔPITAL NORD', 'FERRY', 'HUB', 'UNICODE UTF-8', [
      'PID|1||2002^^^LAB^MR||Müller^Zoë^Łucja||19851224|F',
      'OBR|1|ORD1|FIL1|GLU^Glucose^L',
      'OBX|1|NM|GLU^Glucose^L||5.4|mmol/L|3.9-5.8|N|||F',
      'OBX|2|FT|NOTE^Comment^L||Ratio 1\\S\\2 \\F\\ pipe \\T\\ amp \\R\\ tilde \\E\\ backslash\\.br\\東京 😀 naïve \\X0D\\ end||||||F',
      'NTE|1||Ünïcödé ✓ — «quoted» ½',
    ]],
    ['ORM', 'O01', '2.3', 'T', 'CPOE', 'WEST', 'FERRY', 'HUB', '', [
      'PID|1||3003^^^CPOE^MR||ROE^RICHARD',
      'ORC|NW|ORD3003^CPOE||||||^^^20261126130000',
      'OBR|1|ORD3003^CPOE||CBC^Complete blood count^L',
    ]],
    ['SIU', 'S12', '2.4', 'P', 'SCHED', 'EAST', 'FERRY', 'HUB', '', [
      'SCH|APT4|APT4|||||ROUTINE^Routine^HL70276|||30^MIN',
      'PID|1||4004^^^SCHED^MR~4005^^^OLD^MR||ROE^ANNA~SMITH^ANNA^^^^M||19900101|F',
      'AIL|1||ROOM4&Clinic&L^^^EAST',
    ]],
    ['MDM', 'T02', '2.6', 'P', 'DOCS', 'SOUTH', 'FERRY', 'HUB', '', [
      'EVN|T02|20261126120400',
      'PID|1||5005^^^DOCS^MR||LEE^KIM',
      'TXA|1|DS|TX|20261126120400',
      `OBX|1|ED|PDF^Report^L||^AP^PDF^Base64^${bigText(200 * 1024)}||||||F`,
    ]],
  ];
  return list.map(([type, trigger, version, processing, app, fac, rapp, rfac, charset, segments], i) => {
    const controlId = id(i + 1);
    let msh = `MSH|^~\\&|${app}|${fac}|${rapp}|${rfac}|2026112612000${i}||${type}^${trigger}|${controlId}|${processing}|${version}`;
    if (charset) msh += `|||||FRA|${charset}`;
    return { controlId, type, trigger, version, processing, charset, raw: [msh, ...segments].join(CR) };
  });
}

// Fields of the first segment named `name` in raw HL7 text; f[n] is field n
// (for MSH, f[1] is the field separator as HL7 counts it).
function segment(raw, name) {
  const line = raw.split(/\r\n|\r|\n/).find((s) => s.startsWith(name + '|'));
  if (!line) return null;
  const parts = line.split('|');
  return name === 'MSH' ? ['MSH', '|', ...parts.slice(1)] : parts;
}

// Checks an ACK (raw text) against the message it answers, as Ferry's
// mllp.listener promises: sender/receiver swapped, MSH-9 ACK^<trigger>^ACK,
// version, processing id and charset copied, MSA-1 as expected, MSA-2 = the
// message's MSH-10. Returns a list of problems (empty: fine).
function ackProblems(ack, msg, code = 'AA') {
  const problems = [];
  const m = segment(msg.raw, 'MSH');
  const a = segment(ack, 'MSH');
  const msa = segment(ack, 'MSA');
  if (!a) return [`no MSH in ACK ${JSON.stringify(ack)}`];
  if (!msa) return [`no MSA in ACK ${JSON.stringify(ack)}`];
  const want = (what, got, expected) => {
    if (got !== expected) problems.push(`${what}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
  };
  want('ACK MSH-2', a[2], m[2]);
  want('ACK MSH-3 (= MSH-5)', a[3], m[5]);
  want('ACK MSH-4 (= MSH-6)', a[4], m[6]);
  want('ACK MSH-5 (= MSH-3)', a[5], m[3]);
  want('ACK MSH-6 (= MSH-4)', a[6], m[4]);
  if (!/^\d{8,}/.test(a[7] || '')) problems.push(`ACK MSH-7 is not a timestamp: ${JSON.stringify(a[7])}`);
  want('ACK MSH-9', a[9], `ACK^${msg.trigger}^ACK`);
  if (!a[10]) problems.push('ACK MSH-10 (its own control id) is empty');
  if (a[10] === m[10]) problems.push('ACK MSH-10 reuses the message control id');
  want('ACK MSH-11', a[11], m[11]);
  want('ACK MSH-12', a[12], m[12]);
  if (msg.charset) want('ACK MSH-18', a[18], m[18]);
  want('MSA-1', msa[1], code);
  want('MSA-2', msa[2], m[10]);
  return problems;
}

// Ends the process if it is still running after `seconds` (a bounded wait
// for everything the script does).
function deadline(seconds, what) {
  const t = setTimeout(() => {
    console.error(`FAIL: ${what}: no result within ${seconds} s`);
    process.exit(1);
  }, seconds * 1000);
  t.unref();
  return t;
}

function ferry(args) {
  const bin = process.env.FERRY;
  if (!bin) throw new Error('FERRY is not set (run through ctest)');
  return execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

// All stored messages of a channel, oldest first, each with `show --json`.
function storedMessages(cfg, channel) {
  const list = JSON.parse(ferry(['messages', 'list', '--channel', channel, '--limit', '100000', '--json', '-c', cfg]));
  return list.reverse().map((m) => JSON.parse(ferry(['messages', 'show', String(m.id), '--json', '-c', cfg])));
}

function writeJson(file, value) {
  fs.writeFileSync(file, JSON.stringify(value, null, 1));
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// For the npm servers: `argv` is PORT PLAN_JSON RECORD_JSONL READY_FILE.
// PLAN_JSON (from server_setup.js) says, per channel, each message's
// control id and the codes to answer its successive receipts (AA once the
// list is used up). receive() appends what arrived to RECORD_JSONL, one JSON
// line per message and synchronously, before the message is answered, and
// returns the code to answer; ready() tells the test the port is open.
function serverHarness(argv) {
  const [port, planFile, recordFile, readyFile] = argv;
  const plan = new Map();
  for (const list of Object.values(readJson(planFile))) for (const m of list) plan.set(m.id, m.answers);
  const seen = new Map();
  return {
    port: Number(port),
    receive(connection, raw) {
      const msh = segment(raw, 'MSH');
      const id = msh ? msh[10] : '';
      const n = seen.get(id) || 0;
      seen.set(id, n + 1);
      const code = (plan.get(id) || [])[n] || 'AA';
      fs.appendFileSync(recordFile, JSON.stringify({ connection, id, code, raw }) + '\n');
      return code;
    },
    ready() { fs.writeFileSync(readyFile, 'listening\n'); },
  };
}

module.exports = { VT, FS, CR, corpus, segment, ackProblems, deadline, ferry, storedMessages, writeJson, readJson, serverHarness };
