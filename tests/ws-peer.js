// ws-peer.js: node `ws` (Debian node-ws) peers for tests/ws.bats.
//
// Copyright (c) 2026 The sockcat developers
// SPDX-License-Identifier: BSD-2-Clause
//
// Run with NODE_PATH=/usr/share/nodejs. Servers listen on 127.0.0.1:0 and
// write their port to PORTFILE (renamed into place).
//   serve PORTFILE echo            echo every message, text or binary
//   serve PORTFILE ping OUT        echo, and write "ping N" to OUT per ping
//   serve PORTFILE closewith CODE REASON
//                                  close with CODE REASON on the first message
//   connect URI sizes SIZES KIND   send one message per size (text or
//                                  binary), check each echo, print "SIZE ok"
'use strict';
const fs = require('fs');
const WebSocket = require('ws');

const [cmd, a1, mode, ...rest] = process.argv.slice(2);

function payload(n, kind) {
  if (kind === 'text')
    return '\u00e9'.repeat(Math.floor(n / 2)) + 'a'.repeat(n % 2);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + n) % 251;
  return b;
}

if (cmd === 'serve') {
  const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0,
    maxPayload: 64 << 20 }, () => {
    fs.writeFileSync(a1 + '.tmp', wss.address().port + '\n');
    fs.renameSync(a1 + '.tmp', a1);
  });
  let pings = 0;
  wss.on('connection', (ws) => {
    ws.on('message', (m, isBinary) => {
      if (mode === 'closewith')
        ws.close(Number(rest[0]), rest[1]);
      else
        ws.send(m, { binary: isBinary });
    });
    ws.on('ping', () => {
      if (mode === 'ping')
        fs.appendFileSync(rest[0], 'ping ' + ++pings + '\n');
    });
  });
} else if (cmd === 'connect') {
  const ws = new WebSocket(a1, { maxPayload: 64 << 20 });
  const sizes = rest[0].split(',').map(Number);
  const kind = rest[1];
  let i = 0;
  const next = () => {
    if (i === sizes.length) {
      ws.close(1000, 'done');
      return;
    }
    ws.send(payload(sizes[i], kind), { binary: kind !== 'text' });
  };
  ws.on('open', next);
  ws.on('message', (m, isBinary) => {
    const want = payload(sizes[i], kind);
    const ok = kind === 'text' ? !isBinary && m.toString() === want :
      isBinary && Buffer.compare(m, want) === 0;
    console.log(sizes[i] + (ok ? ' ok' : ' mismatch ' + m.length));
    if (!ok) process.exit(1);
    i++;
    next();
  });
  ws.on('close', (code) => process.exit(code === 1000 ? 0 : 2));
  ws.on('error', (e) => { console.log('error ' + e.message); process.exit(3); });
}
