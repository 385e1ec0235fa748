'use strict';
// An HL7 receiver built on node-hl7-server 2.5.0: records every message and
// answers with the library's sendResponse(code) (AA, AE or AR from the
// plan). Runs until killed (at most 120 s).
// Usage: node server_node_hl7.js PORT PLAN_JSON RECORD_JSONL READY_FILE
//
// Quirks of node-hl7-server 2.5.0 (lib/cjs/server/inbound.js and
// modules/sendResponse.js), and why the test uses it the way it does:
// - The text received on a connection is never cleared after a message is
//   handled, so the k-th message on one connection is parsed together with
//   the k-1 before it (as a "batch") and the handler runs k times: k ACKs,
//   the first k-1 for old messages. A sender that keeps its connection
//   reads the ACK of message 1 as the answer to message 2, so it can only
//   be used with ONE MESSAGE PER CONNECTION: Ferry's mllp.sender with
//   "keep_connection": false.
// - Only the first 0x1C 0x0D of the buffered text is removed.
// - MSH-12 must be one of 2.1 ... 2.8: without a version (e.g. what
//   testkit.counter makes) building the ACK throws, and the library answers
//   AE with a random MSA-2 instead, which Ferry rightly takes for an answer
//   to another message.
// - The ACK's MSH-10 is the literal "ACK" for every answer.
// - The listener's bindAddress reaches net.Server.listen() as `hostname`,
//   a key Node does not know, so it would listen on every interface; the
//   shim below hands it over as `host` to keep the server on 127.0.0.1.
const net = require('node:net');
const { Server } = require('node-hl7-server');
const { deadline, serverHarness } = require('./common.js');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (options, ...rest) {
  if (options && typeof options === 'object' && options.hostname && !options.host) {
    options = { ...options, host: options.hostname };
  }
  return listen.call(this, options, ...rest);
};

deadline(120, 'node-hl7-server still running');
const h = serverHarness(process.argv.slice(2));
const connections = new WeakMap();
let count = 0;
let lastRaw = null;  // 'data.raw' is emitted just before the handler runs, in the same tick

const server = new Server({ bindAddress: '127.0.0.1' });
const inbound = server.createInbound({ port: h.port, name: 'ferry' }, async (req, res) => {
  const socket = res._socket;  // SendResponse keeps the socket it answers on
  if (!connections.has(socket)) connections.set(socket, ++count);
  const code = h.receive(connections.get(socket), lastRaw);
  await res.sendResponse(code);
});
inbound.on('data.raw', (raw) => { lastRaw = raw; });
inbound.on('listen', () => h.ready());
inbound.on('error', (e) => {
  console.error('node-hl7-server error: ' + e);
  process.exit(1);
});
inbound.on('data.error', (e) => console.error('node-hl7-server data.error: ' + e));
process.on('SIGTERM', () => process.exit(0));
