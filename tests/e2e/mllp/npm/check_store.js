'use strict';
// After a client test: every message the client sent is in Ferry's store
// exactly once, found by its HL7 control id, with the raw content
// byte-identical to what was sent (UTF-8 and escapes untouched), stored as
// HL7 v2 and delivered to the channel's destination.
// Usage: node check_store.js CONFIG SENT_JSON
const { ferry, readJson } = require('./common.js');

const [cfg, sentFile] = process.argv.slice(2);
const problems = [];
for (const msg of readJson(sentFile)) {
  const found = JSON.parse(ferry(['messages', 'search', '--meta', `control_id=${msg.controlId}`, '--json', '-c', cfg]));
  if (found.length !== 1) {
    problems.push(`${msg.controlId}: ${found.length} stored messages with this control id`);
    continue;
  }
  const m = JSON.parse(ferry(['messages', 'show', String(found[0].id), '--json', '-c', cfg]));
  if (m.raw !== msg.raw) {
    const a = Buffer.from(m.raw || '', 'utf8');
    const b = Buffer.from(msg.raw, 'utf8');
    let at = 0;
    while (at < a.length && at < b.length && a[at] === b[at]) at++;
    problems.push(`${msg.controlId}: stored content differs from what was sent at byte ${at} ` +
                  `(stored ${a.length} bytes, sent ${b.length}): ${JSON.stringify(a.subarray(at, at + 40).toString())}`);
  }
  if (m.content_type !== 'application/hl7-v2') problems.push(`${msg.controlId}: content_type ${m.content_type}`);
  const type = (m.metadata || {}).message_type || '';
  if (!type.startsWith(`${msg.type}^${msg.trigger}`)) problems.push(`${msg.controlId}: metadata message_type ${type}`);
  const d = (m.destinations || [])[0] || {};
  if (d.status !== 'sent') problems.push(`${msg.controlId}: destination status ${d.status}`);
}
if (problems.length) {
  console.error('FAIL: ' + problems.join('\n  '));
  process.exit(1);
}
console.log(`store: all ${readJson(sentFile).length} messages stored once, byte-identical`);
