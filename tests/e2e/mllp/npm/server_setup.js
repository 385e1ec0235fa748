'use strict';
// Prepares a server test: the messages Ferry will send, as files for
// file.reader (one folder per channel, names in send order), and
// WORK/plan.json: per channel, in order, each message's control id, exact
// content and the codes the npm server answers its successive receipts.
// Usage: node server_setup.js WORK CHANNELS   (CHANNELS: e.g. rich,nack,bulk)
//
// rich: the corpus of common.js (types, versions, escapes, UTF-8, 200 KB)
//       and 20 small ADT^A08 v2.5 messages; every one answered AA.
// nack: N1 answered AE and then AA (Ferry retries it), N2 answered AR
//       (Ferry marks it error and goes on), N3 AA.
// bulk: what testkit.counter emits with the prefix below: MSH only, no
//       version (MSH-12) at all; AA. Not every npm server copes with that.
const fs = require('node:fs');
const path = require('node:path');
const { corpus, writeJson } = require('./common.js');

const [work, channels] = [process.argv[2], process.argv[3].split(',')];
const BULK_PREFIX = 'MSH|^~\\&|A|B|C|D|20261126||ADT^A01|C';
const BULK_COUNT = 20;
const small = (id) => `MSH|^~\\&|REG|NORTH|FERRY|HUB|20261126130000||ADT^A08^ADT_A01|${id}|P|2.5\rEVN|A08|20261126130000\rPID|1||${id}^^^NORTH^MR||DOE^JOHN`;

const plan = {};
for (const channel of channels) {
  let list;
  if (channel === 'rich') {
    list = [...corpus('R').map((m) => ({ id: m.controlId, raw: m.raw })),
            ...Array.from({ length: 20 }, (_, i) => ({ id: `S${i + 1}`, raw: small(`S${i + 1}`) }))];
    list.forEach((m) => { m.answers = ['AA']; });
  } else if (channel === 'nack') {
    list = [{ id: 'N1', answers: ['AE', 'AA'] }, { id: 'N2', answers: ['AR'] }, { id: 'N3', answers: ['AA'] }];
    list.forEach((m) => { m.raw = small(m.id); });
  } else if (channel === 'bulk') {
    list = Array.from({ length: BULK_COUNT }, (_, i) => ({ id: `C${i + 1}`, raw: BULK_PREFIX + (i + 1), answers: ['AA'] }));
  } else {
    throw new Error(`unknown channel ${channel}`);
  }
  if (channel !== 'bulk') {
    const dir = path.join(work, `in-${channel}`);
    fs.mkdirSync(dir, { recursive: true });
    list.forEach((m, i) => fs.writeFileSync(path.join(dir, `${String(i + 1).padStart(3, '0')}.hl7`), m.raw));
  }
  plan[channel] = list;
}
writeJson(path.join(work, 'plan.json'), plan);
// The receipts the server will see in all, for the test to wait for.
console.log(Object.values(plan).flat().reduce((n, m) => n + m.answers.length, 0));
