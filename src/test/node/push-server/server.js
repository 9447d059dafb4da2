// A push-protocol server on socket.io v4 (PUSH-PROTOCOL.md), for sockscript's tests and sample 05.
//
//   node server.js config.json
//
// config.json: { "tls": {"cert": "chain.pem", "key": "key.pem"} | {"pfx": "x.p12", "passphrase": "..."} | null,
//   "registered": ["<identityKey>|<deviceId>", ...], "revoked": ["<identityKey>", ...],
//   "clockOffsetSeconds": 0, "clockWindowSeconds": 30, "pingIntervalMs": 25000,
//   "pingTimeoutMs": 20000, "messages": [{"id": "m1", "header": "<base64>", "body": "<base64>"}],
//   "connectError": "<message>" (optional: refuse every connection with it),
//   "disconnectAfterAuthorized": true (optional: a Socket.IO disconnect right after "authorized") }
//
// It listens on 127.0.0.1 (a free port) and prints one JSON object per line on stdout:
// {"event":"listening","port":N}, then per client {"event":"authentication",...},
// {"event":"answer",...}, {"event":"recieved","messageId":...} and {"event":"disconnect",...}.
// The checks run in this order: format, revoked, signature, time, registration.
'use strict';

const fs = require('fs');
const http = require('http');
const https = require('https');
const crypto = require('crypto');
const { Server } = require('socket.io');

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const registered = new Set(config.registered || []);
const revoked = new Set(config.revoked || []);
const window = config.clockWindowSeconds ?? 30;

function print(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

function now() {
  return Math.floor(Date.now() / 1000) + (config.clockOffsetSeconds || 0);
}

// The answer to one authentication attempt: null when authorized, else the "not authorized" data.
function judge(data) {
  const bad = { message: 'badly formed credentials' };
  if (!data || typeof data.username !== 'string' || typeof data.password !== 'string') return bad;
  const user = data.username.split('|');
  const pass = data.password.split('|');
  if (user.length !== 2 || pass.length !== 2 || user[1] === '' || !/^[0-9]{1,15}$/.test(pass[0])) return bad;
  const key = Buffer.from(user[0], 'base64');
  const signature = Buffer.from(pass[1], 'base64');
  if (key.length !== 32 || key.toString('base64') !== user[0] || signature.length !== 64) return bad;
  if (revoked.has(user[0])) return { message: 'revoked' };
  const publicKey = crypto.createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: key.toString('base64url') }, format: 'jwk' });
  if (!crypto.verify(null, Buffer.from(pass[0], 'ascii'), publicKey, signature)) {
    return { message: 'signature' };
  }
  const serverTime = now();
  if (Math.abs(serverTime - Number(pass[0])) > window) return { message: 'time', serverTime };
  if (!registered.has(data.username)) return { message: 'not registered' };
  return null;
}

function credentials(tls) { // PEM files, or a PKCS#12 key store (what the JDK's keytool writes)
  return tls.pfx ? { pfx: fs.readFileSync(tls.pfx), passphrase: tls.passphrase }
    : { cert: fs.readFileSync(tls.cert), key: fs.readFileSync(tls.key) };
}

const app = config.tls ? https.createServer(credentials(config.tls)) : http.createServer();
const io = new Server(app, {
  transports: ['websocket'],
  pingInterval: config.pingIntervalMs ?? 25000,
  pingTimeout: config.pingTimeoutMs ?? 20000,
  maxHttpBufferSize: 4 * 1024 * 1024,
});

if (config.connectError) { // refuses every Socket.IO connection: the client gets connect_error
  io.use((socket, next) => next(new Error(config.connectError)));
}

io.on('connection', (socket) => {
  socket.on('authentication', (data) => {
    print({ event: 'authentication', username: data && data.username, password: data && data.password });
    const refusal = judge(data);
    print({ event: 'answer', authorized: refusal === null, data: refusal });
    if (refusal !== null) {
      socket.emit('not authorized', refusal);
      return;
    }
    socket.emit('authorized');
    for (const message of config.messages || []) socket.emit('message', message);
    if (config.disconnectAfterAuthorized) socket.disconnect(true); // the server ends the session
  });
  socket.on('recieved', (data) => print({ event: 'recieved', messageId: data && data.messageId }));
  socket.on('disconnect', (reason) => print({ event: 'disconnect', reason }));
});

app.listen(0, '127.0.0.1', () => print({ event: 'listening', port: app.address().port }));
process.stdin.on('end', () => process.exit(0)); // the test closed our stdin: stop
process.stdin.resume();
