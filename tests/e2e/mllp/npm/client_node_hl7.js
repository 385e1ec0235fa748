'use strict';
// node-hl7-client 3.2.0 sends the corpus to Ferry's mllp.listener, one
// message at a time on one connection, and checks every ACK.
// Usage: node client_node_hl7.js PORT SENT_JSON
//
// Quirks of node-hl7-client 3.2.0 (read in lib/cjs/index.js), and how this
// script keeps clear of them:
// - Its MLLP decoder takes everything buffered as ONE message as soon as
//   the buffer holds a 0x1C and a 0x0D anywhere, so two ACKs arriving in one
//   TCP read would be merged into one message. With `waitAck: true` (the
//   default) and one message in flight that cannot happen.
// - It also trims whitespace at both ends of every segment of the answer, so
//   the ACK handed to the handler is not byte-exact (fine for an ACK).
// - sendMessage() while the socket is not yet connected, or while an ACK is
//   awaited, queues the message AND opens another socket; the queue is
//   flushed only on a (re)connect, not when the ACK arrives. So: wait for
//   'connect', and send the next message only after the previous ACK.
// - Ports above 65353 are refused (its range check says 65353, not 65535).
// - node-hl7-client 4.x needs Node >= 22; 3.2.0 is the newest for Node 20.
const { Client, Message } = require('node-hl7-client');
const { corpus, ackProblems, deadline, writeJson } = require('./common.js');

const [port, sentFile] = [Number(process.argv[2]), process.argv[3]];
deadline(25, 'node-hl7-client');

async function main() {
  const messages = corpus('NHC-');
  const client = new Client({ host: '127.0.0.1' });
  let waiting = null;  // resolves with the next ACK
  const connection = client.createConnection({ port, waitAck: true }, async (res) => {
    if (waiting) waiting(res);
    else console.error('unexpected answer: ' + res.getMessage().toString());
  });
  connection.on('client.error', (err) => console.error('client.error: ' + err));
  connection.on('data.error', (err) => console.error('data.error: ' + err));
  await new Promise((resolve) => connection.once('connect', resolve));

  const problems = [];
  for (const msg of messages) {
    // The library's own parser must read it back unchanged (it does: the
    // parsed message's toString() is the raw text, escapes and UTF-8 included).
    const parsed = new Message({ text: msg.raw });
    if (parsed.toString() !== msg.raw) throw new Error(`node-hl7-client changed ${msg.controlId} when parsing`);
    const answer = new Promise((resolve) => { waiting = resolve; });
    await connection.sendMessage(parsed);
    const res = await answer;
    waiting = null;
    const ack = res.getMessage();
    // The library's view of the ACK ...
    if (ack.get('MSA.1').toString() !== 'AA' || ack.get('MSA.2').toString() !== msg.controlId) {
      problems.push(`${msg.controlId}: library reads MSA ${ack.get('MSA.1').toString()}|${ack.get('MSA.2').toString()}`);
    }
    // ... and the raw text, field by field.
    for (const p of ackProblems(ack.toString(), msg)) problems.push(`${msg.controlId}: ${p}`);
  }
  if (connection.stats.sent !== messages.length || connection.stats.acknowledged !== messages.length) {
    problems.push(`library counted ${connection.stats.sent} sent, ${connection.stats.acknowledged} acknowledged`);
  }
  await connection.close();
  client.closeAll();
  writeJson(sentFile, messages);
  if (problems.length) {
    console.error('FAIL: ' + problems.join('\n  '));
    process.exit(1);
  }
  console.log(`node-hl7-client: ${messages.length} messages, ${messages.length} correct ACKs`);
  process.exit(0);
}

main().catch((e) => {
  console.error('FAIL: ' + (e.stack || e));
  process.exit(1);
});
