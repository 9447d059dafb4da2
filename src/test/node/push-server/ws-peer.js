// A WebSocket peer for sockscript's tests, on 127.0.0.1 (a free port).
//
//   node ws-peer.js config.json
//
// config.json: { "tls": {"cert": "...", "key": "..."} | null, "mode": "echo" | "raw", "answer": "...", "frameHex": "..." }
//
// mode "echo" is the npm `ws` server: it echoes every message, and obeys text commands:
//   "fragments"       -> sends "abcdef" as three frames (text, continuation, continuation)
//   "ping <text>"     -> pings with <text>; prints {"event":"pong",...} when the pong comes
//   "close <code> <reason>" -> starts the close handshake with that status
//   "big <n>"         -> sends a binary message of n bytes
// mode "raw" answers the upgrade itself: with config.answer ("bad-accept", "status-404", or a
// correct 101 by default), then writes the bytes of config.frameHex, and prints what the client
// sends afterwards as {"event":"client","hex":...}: a misbehaving server, made on purpose.
'use strict';

const fs = require('fs');
const net = require('net');
const tls = require('tls');
const http = require('http');
const https = require('https');
const crypto = require('crypto');
const { WebSocketServer } = require('ws');

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const print = (event) => process.stdout.write(JSON.stringify(event) + '\n');
const credentials = config.tls && { cert: fs.readFileSync(config.tls.cert), key: fs.readFileSync(config.tls.key) };

function echo() {
  const app = credentials ? https.createServer(credentials) : http.createServer();
  const wss = new WebSocketServer({ server: app, maxPayload: 64 * 1024 * 1024 });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? null : data.toString('utf8');
      if (text === 'fragments') {
        ws.send('ab', { fin: false });
        ws.send('cd', { fin: false });
        ws.send('ef', { fin: true });
      } else if (text !== null && text.startsWith('ping ')) {
        ws.ping(Buffer.from(text.substring(5)));
      } else if (text !== null && text.startsWith('close ')) {
        const [, code, ...reason] = text.split(' ');
        ws.close(Number(code), reason.join(' '));
      } else if (text !== null && text.startsWith('big ')) {
        ws.send(Buffer.alloc(Number(text.substring(4)), 7), { binary: true });
      } else {
        ws.send(data, { binary: isBinary });
      }
    });
    ws.on('pong', (data) => print({ event: 'pong', data: data.toString('utf8') }));
    ws.on('close', (code, reason) => print({ event: 'close', code, reason: reason.toString('utf8') }));
  });
  return app;
}

function raw() {
  const onSocket = (socket) => {
    let head = Buffer.alloc(0);
    let upgraded = false;
    socket.on('data', (chunk) => {
      if (upgraded) {
        print({ event: 'client', hex: chunk.toString('hex') });
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      upgraded = true;
      const key = /sec-websocket-key: *(\S+)/i.exec(head.toString('latin1'))[1];
      const accept = crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
      if (config.answer === 'status-404') {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const sent = config.answer === 'bad-accept' ? 'dGhlIHNhbXBsZSBub25jZQ==' : accept;
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
        + 'Sec-WebSocket-Accept: ' + sent + '\r\n\r\n');
      if (config.frameHex) socket.write(Buffer.from(config.frameHex, 'hex'));
    });
    socket.on('error', () => {});
    socket.on('close', () => print({ event: 'closed' }));
  };
  return credentials ? tls.createServer(credentials, onSocket) : net.createServer(onSocket);
}

const server = config.mode === 'raw' ? raw() : echo();
server.listen(0, '127.0.0.1', () => print({ event: 'listening', port: server.address().port }));
process.stdin.on('end', () => process.exit(0)); // the test closed our stdin: stop
process.stdin.resume();
