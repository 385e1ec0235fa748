'use strict';
// After a server test: what the npm server recorded, and what Ferry stored.
// Usage: node check_server.js CONFIG PLAN_JSON RECORD_JSONL KEEP_CONNECTION
//
// Per channel of the plan:
// - the server got the messages in order, each as many times as the plan
//   has answers for it (once for AA and AR, twice for AE then AA), nothing
//   else, content identical;
// - connections: with keep_connection one connection per channel (AE and AR
//   answers do not cost it), without it one connection per message;
// - Ferry stored every message once, in order, content identical, and
//   recorded its delivery: `sent` after AA, `error` after AR (not retried),
//   attempts = receipts, the server's last ACK kept as the response.
const fs = require('node:fs');
const { readJson, segment, storedMessages } = require('./common.js');

const [cfg, planFile, recordFile, keepConnection] = process.argv.slice(2);
const plan = readJson(planFile);
const records = fs.existsSync(recordFile)
  ? fs.readFileSync(recordFile, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l))
  : [];
const problems = [];
const ids = new Map();  // control id -> channel
for (const [channel, list] of Object.entries(plan)) for (const m of list) ids.set(m.id, channel);
for (const r of records) if (!ids.has(r.id)) problems.push(`server got a message with unexpected MSH-10 ${JSON.stringify(r.id)}`);

for (const [channel, list] of Object.entries(plan)) {
  const got = records.filter((r) => ids.get(r.id) === channel);
  const want = list.flatMap((m) => m.answers.map((code) => ({ id: m.id, code, raw: m.raw })));
  const seq = (rs) => rs.map((r) => `${r.id}:${r.code}`).join(' ');
  if (seq(got) !== seq(want)) {
    problems.push(`${channel}: server saw\n    ${seq(got)}\n  expected\n    ${seq(want)}`);
  }
  got.forEach((r, i) => {
    if (want[i] && r.raw !== want[i].raw) {
      problems.push(`${channel}: receipt ${i + 1} (${r.id}) differs from what Ferry was given: ${JSON.stringify(r.raw.slice(0, 120))}`);
    }
  });
  const connections = new Set(got.map((r) => r.connection));
  if (keepConnection === 'true' && connections.size !== 1) {
    problems.push(`${channel}: keep_connection, but ${connections.size} connections were used`);
  }
  if (keepConnection === 'false' && connections.size !== got.length) {
    problems.push(`${channel}: keep_connection false, but ${got.length} messages came over ${connections.size} connections`);
  }

  const stored = storedMessages(cfg, channel);
  if (stored.length !== list.length) problems.push(`${channel}: ${stored.length} messages stored, expected ${list.length}`);
  list.forEach((m, i) => {
    const s = stored[i];
    if (!s) return;
    if (s.raw !== m.raw) problems.push(`${channel}: stored message ${i + 1} is not ${m.id} as given`);
    const d = (s.destinations || [])[0] || {};
    const last = m.answers[m.answers.length - 1];
    const status = last === 'AR' ? 'error' : 'sent';
    if (d.status !== status || d.attempts !== m.answers.length) {
      problems.push(`${channel} ${m.id}: delivery ${d.status} after ${d.attempts} attempt(s), expected ${status} after ${m.answers.length} (${d.last_error || ''})`);
    }
    const msa = segment(d.response || '', 'MSA');
    if (!msa || msa[1] !== last || msa[2] !== m.id) {
      problems.push(`${channel} ${m.id}: stored response ${JSON.stringify(d.response)}, expected the server's ACK with MSA|${last}|${m.id}`);
    }
    if (last === 'AR' && !(d.last_error || '').startsWith('AR')) problems.push(`${channel} ${m.id}: last_error ${JSON.stringify(d.last_error)}`);
  });
}

if (problems.length) {
  console.error('FAIL: ' + problems.join('\n  '));
  process.exit(1);
}
console.log(`server and store: ${records.length} receipts as planned, every delivery recorded with the server's ACK`);
