// ws-node.js: node's ws module doing bench/run's WebSocket jobs.
//
// Copyright (c) 2026 The sockcat developers
// SPDX-License-Identifier: BSD-2-Clause
//
//   node ws-node.js server       print "port N" on stderr, take one client,
//                                write every message to stdout, exit at its
//                                Close (as sockcat -u ws-listen:..,binary -)
//   node ws-node.js client URL   send stdin as binary messages (one per
//                                chunk read, 64 KiB), then Close 1000 (as
//                                sockcat -u -b 64k - ws://...,binary)
//   node ws-node.js echo         print "port N" on stdout, echo every
//                                message (as sockcat ws-listen:... echo)
// Needs NODE_PATH=/usr/share/nodejs.
'use strict';
const WebSocket = require('ws');

if (process.argv[2] === 'echo') {
  const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0 },
    () => console.log('port ' + wss.address().port));
  wss.on('connection', (ws) => ws.on('message', (m, isBinary) =>
    ws.send(m, { binary: isBinary })));
} else if (process.argv[2] === 'server') {
  const wss = new WebSocket.Server({ host: '127.0.0.1', port: 0,
    maxPayload: 1 << 30 }, () => console.error('port ' + wss.address().port));
  wss.on('connection', (ws) => {
    ws.on('message', (m) => {
      if (!process.stdout.write(m)) {
        ws._socket.pause();
        process.stdout.once('drain', () => ws._socket.resume());
      }
    });
    ws.on('close', () => process.stdout.end(() => process.exit(0)));
  });
} else {
  const ws = new WebSocket(process.argv[3]);
  ws.on('open', () => {
    process.stdin.on('data', (chunk) => {
      ws.send(chunk, { binary: true });
      if (ws.bufferedAmount > (1 << 20)) {
        process.stdin.pause();
        const wait = () => ws.bufferedAmount > (256 << 10) ?
          setImmediate(wait) : process.stdin.resume();
        setImmediate(wait);
      }
    });
    process.stdin.on('end', () => ws.close(1000));
  });
  ws.on('close', () => process.exit(0));
  ws.on('error', (e) => { console.error(e.message); process.exit(1); });
}
