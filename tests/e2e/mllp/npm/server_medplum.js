'use strict';
// An HL7 receiver built on @medplum/hl7 4.5.2's Hl7Server: records every
// message and answers with @medplum/core's buildAck({ackCode}) (AA, AE or
// AR from the plan). Runs until killed (at most 120 s).
// Usage: node server_medplum.js PORT PLAN_JSON RECORD_JSONL READY_FILE
//
// Quirks of @medplum/hl7 4.5.2 (dist/cjs/index.cjs):
// - Hl7Connection takes a frame as complete only when one TCP read ENDS with
//   0x1C 0x0D and parses everything buffered as one message: pipelined
//   frames that arrive in one read get one ACK (the others none), and a
//   frame whose last read holds only the 0x0D is never seen. It only serves
//   senders that wait for each ACK, as Ferry's mllp.sender does (which
//   writes each frame in one piece, so a read ending between the last two
//   bytes is very unlikely, even for the 200 KB message).
// - With enhanced mode on (not used here) it answers every message with CA
//   at once and then the handler's ACK: two ACKs per message. Ferry's
//   mllp.sender (as of this writing) takes the CA, reads the second ACK as
//   the answer to the next message (wrong MSA-2) and retries that message
//   on the same connection, so the receiver gets messages twice.
// - The message event carries the parsed Hl7Message, not the bytes; what is
//   recorded is its toString(), which gives back the exact text for every
//   message sent here (client_medplum.js checks that round trip too).
// - buildAck() copies the version (2.5.1 when MSH-12 is empty), always sets
//   MSH-11 to P, and puts a text in MSA-3 ("OK", "Application Error", ...).
// - start(port) passes `port` straight to net.Server.listen(), so an options
//   object {port, host} keeps it on 127.0.0.1 (a number alone would listen
//   on every interface).
const { Hl7Server } = require('@medplum/hl7');
const { deadline, serverHarness } = require('./common.js');

deadline(120, '@medplum/hl7 server still running');
const h = serverHarness(process.argv.slice(2));
let count = 0;

const server = new Hl7Server((connection) => {
  const id = ++count;
  connection.addEventListener('message', ({ message }) => {
    const code = h.receive(id, message.toString());
    connection.send(message.buildAck({ ackCode: code }));
  });
  connection.addEventListener('error', (e) => console.error('@medplum/hl7 connection error: ' + (e.error && e.error.message)));
});
server.start({ port: h.port, host: '127.0.0.1' });
server.server.once('listening', () => h.ready());
process.on('SIGTERM', () => process.exit(0));
