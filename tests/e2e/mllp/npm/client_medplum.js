'use strict';
// @medplum/hl7 4.5.2's Hl7Client sends the corpus to Ferry's mllp.listener
// with sendAndWait(), one message at a time on one connection, and checks
// every ACK.
// Usage: node client_medplum.js PORT SENT_JSON
//
// Quirks of @medplum/hl7 4.5.2 (read in dist/cjs/index.cjs):
// - Hl7Connection takes a frame as complete only when one TCP read ENDS with
//   0x1C 0x0D, and then parses everything buffered as one message: two ACKs
//   in one read become one message (the second ACK is lost), and an ACK
//   followed by anything else in the same read is not seen at all. So it
//   cannot pipeline, even though sendAndWait() matches answers to messages
//   by MSA-2: this script waits for each ACK before sending the next.
// - sendAndWait() resolves with the first answer whose MSA-2 matches, and
//   reports an error event for an answer with an unknown MSA-2, which this
//   script counts as a failure.
// - @medplum/* 5.x needs Node ^22.18 or >= 24.2; 4.5.2 is the newest
//   release that runs on Node 20 (it declares ^20.19.0 || >= 22.12.0).
const { Hl7Client } = require('@medplum/hl7');
const { Hl7Message } = require('@medplum/core');
const { corpus, ackProblems, deadline, writeJson } = require('./common.js');

const [port, sentFile] = [Number(process.argv[2]), process.argv[3]];
deadline(25, '@medplum/hl7 client');

async function main() {
  const messages = corpus('MED-');
  const client = new Hl7Client({ host: '127.0.0.1', port, connectTimeout: 5000 });
  const problems = [];
  client.addEventListener('error', (e) => problems.push(`client error event: ${e.error && (e.error.message || JSON.stringify(e.error))}`));
  for (const msg of messages) {
    const parsed = Hl7Message.parse(msg.raw);
    if (parsed.toString() !== msg.raw) throw new Error(`@medplum/core changed ${msg.controlId} when parsing`);
    const ack = await client.sendAndWait(parsed, { timeoutMs: 10000 });
    // The library's view of the ACK ...
    const msa = ack.getSegment('MSA');
    if (!msa || msa.getField(1).toString() !== 'AA' || msa.getField(2).toString() !== msg.controlId) {
      problems.push(`${msg.controlId}: library reads ${msa ? msa.toString() : 'no MSA'}`);
    }
    // ... and the raw text, field by field.
    for (const p of ackProblems(ack.toString(), msg)) problems.push(`${msg.controlId}: ${p}`);
  }
  await client.close();
  writeJson(sentFile, messages);
  if (problems.length) {
    console.error('FAIL: ' + problems.join('\n  '));
    process.exit(1);
  }
  console.log(`@medplum/hl7 client: ${messages.length} messages, ${messages.length} correct ACKs`);
  process.exit(0);
}

main().catch((e) => {
  console.error('FAIL: ' + (e.stack || (e.outcome ? JSON.stringify(e.outcome) : e)));
  process.exit(1);
});
