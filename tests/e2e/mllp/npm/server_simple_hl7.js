'use strict';
// An HL7 receiver built on simple-hl7 3.3.0's TCP server: records every
// message and answers with the library's own ACK, whose MSA-1 is set from
// the plan (AA, AE or AR). Runs until killed (at most 120 s).
// Usage: node server_simple_hl7.js PORT PLAN_JSON RECORD_JSONL READY_FILE
//
// Quirks of simple-hl7 3.3.0 (lib/server/tcp-server.js):
// - A frame is complete when the text buffered so far ENDS with 0x1C 0x0D;
//   the buffer minus its first and last two characters is parsed as one
//   message. Two frames in one TCP read become one message and get one
//   ACK, so it only serves senders that wait for each ACK before sending
//   the next message, as Ferry's mllp.sender does. Bytes before the 0x0B
//   (none here) would corrupt the message.
// - Its ACK says version 2.3 whatever the message's version, MSH-9 is just
//   "ACK", MSH-10 is "ACK" + a timestamp (not unique within a second) and
//   MSH-11 is always P. Ferry's sender checks only MSA-1 and MSA-2.
// - start(port) passes `port` straight to net.Server.listen(), so an
//   options object {port, host} keeps it on 127.0.0.1 (a number alone would
//   listen on every interface).
const hl7 = require('simple-hl7');
const { deadline, serverHarness } = require('./common.js');

deadline(120, 'simple-hl7 server still running');
const h = serverHarness(process.argv.slice(2));
const connections = new WeakMap();
let count = 0;

const server = hl7.Server.createTcpServer((err, req, res) => {
  if (err) {
    console.error('simple-hl7 server error: ' + (err.stack || err));
    return;
  }
  if (!connections.has(res.socket)) connections.set(res.socket, ++count);
  // req.raw is the buffered text with its frame bytes: 0x0B ... 0x1C 0x0D.
  const raw = req.raw.substring(1, req.raw.length - 2);
  const code = h.receive(connections.get(res.socket), raw);
  res.ack.getSegment('MSA').setField(1, code);
  res.end();
});
server.start({ port: h.port, host: '127.0.0.1' });
server.server.on('listening', () => h.ready());
server.server.on('error', (e) => {
  console.error('listen failed: ' + e);
  process.exit(1);
});
process.on('SIGTERM', () => process.exit(0));
