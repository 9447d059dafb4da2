// 05 - The push socket protocol, for real: socket.io over wss, Ed25519 sign-in, pushed messages.
// Run it with:  ./sockscript samples/05-push-protocol.jsh   (from the project folder)
//
// The protocol runs over socket.io: the device emits "authentication" with
//   {"username": "<base64(identityKey)>|<deviceId>", "password": "<unix seconds>|<base64(Ed25519 signature of those seconds)>"}
// and the server answers "authorized", or "not authorized" with {"message": reason} where reason is
// one of: badly formed credentials, revoked, signature, not registered, time (then also
// "serverTime", which the device signs to try again). Once authorized, the server pushes "message"
// events {id, header, body} (base64), and the device confirms each with "recieved" {messageId}
// (that spelling, on the wire).
//
// org.sockscript.push.PushClient does all of that on sockscript verbs (a WebSocket client over
// openSecure, Engine.IO 4 and Socket.IO 5 over it). The server here is a real socket.io v4 server
// in Node.js (src/test/node/push-server/server.js); without node this walkthrough says how to
// get it, and ends. (JShell runs each top-level statement separately, so steps are in { } blocks.)

import org.sockscript.push.*;
import java.security.KeyPair;

Path serverDir = Path.of("src/test/node/push-server");
boolean nodeReady() {
  try {
    Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0 && Files.isDirectory(serverDir.resolve("node_modules/socket.io"));
  } catch (Exception e) {
    return false;
  }
}
boolean ready = nodeReady();
if (!ready) {
  System.out.println("this walkthrough needs Node.js and the socket.io server's npm packages, from the project folder:");
  System.out.println("  sudo apt-get install nodejs npm && (cd src/test/node/push-server && npm ci)");
}

// ---- a throwaway certificate for the server (the JDK's keytool, via the shared helpers) ----------
/open samples/helpers.jsh
if (ready) {
  keytool("-genkeypair", "-alias", "push", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1",
      "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-keystore", "push.p12");
  keytool("-exportcert", "-rfc", "-alias", "push", "-keystore", "push.p12", "-file", "cert.pem");
  // Trust exactly this certificate. (setExtraSslCertificates would trust it beside the system's roots.)
  sockets.setSslCertificates(List.of(certs.resolve("cert.pem")));
}

// ---- the people: alice (registered), bob (revoked), mallory (unknown) ------------------------------
PushIdentity alice = PushIdentity.generate();
PushIdentity bob = PushIdentity.generate();
PushIdentity mallory = PushIdentity.generate();
String brief(String line) {   // long base64 runs shortened to their ends, for printing
  return line.replaceAll("([A-Za-z0-9+/]{6})[A-Za-z0-9+/]{16,}([A-Za-z0-9+/]{4}=*)", "$1...$2");
}

// ---- the server: node server.js config.json, printing one JSON line per thing it sees --------------
List<Process> servers = new ArrayList<>();
Map<Process, StringBuffer> serverOutput = new HashMap<>();
int startServer(long clockOffsetSeconds) throws Exception {
  var config = new com.google.gson.JsonObject();
  var tls = new com.google.gson.JsonObject();
  tls.addProperty("pfx", certs.resolve("push.p12").toString());
  tls.addProperty("passphrase", "walkthrough");
  config.add("tls", tls);
  var registered = new com.google.gson.JsonArray();
  registered.add(alice.username("phone-1"));
  registered.add(bob.username("tablet-2"));
  config.add("registered", registered);
  var revoked = new com.google.gson.JsonArray();
  revoked.add(bob.identityKey());
  config.add("revoked", revoked);
  config.addProperty("clockOffsetSeconds", clockOffsetSeconds);
  var messages = new com.google.gson.JsonArray();
  byte[] everyByte = new byte[256];
  for (int i = 0; i < 256; i++) everyByte[i] = (byte) i;
  for (String[] m : new String[][] {{"msg-1", "greeting", b64("Hello over wss!".getBytes())}, {"msg-2", "bytes", b64(everyByte)}}) {
    var message = new com.google.gson.JsonObject();
    message.addProperty("id", m[0]);
    message.addProperty("header", b64(m[1].getBytes()));
    message.addProperty("body", m[2]);
    messages.add(message);
  }
  config.add("messages", messages);
  Path file = certs.resolve("server-" + servers.size() + ".json");
  Files.writeString(file, config.toString());
  Process p = new ProcessBuilder("node", serverDir.resolve("server.js").toString(), file.toString()).redirectErrorStream(true).start();
  StringBuffer out = new StringBuffer();
  Thread pump = new Thread(() -> {
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
      for (String line; (line = in.readLine()) != null; ) out.append(line).append('\n');
    } catch (java.io.IOException gone) { }
  });
  pump.setDaemon(true);
  pump.start();
  servers.add(p);
  serverOutput.put(p, out);
  var port = java.util.regex.Pattern.compile("\"port\":(\\d+)").matcher("");
  for (int i = 0; i < 500 && !port.reset(out).find(); i++) Thread.sleep(20);   // at most 10 s
  if (!port.reset(out).find()) throw new IllegalStateException("the server did not start: " + out);
  return Integer.parseInt(port.group(1));
}
String b64(byte[] bytes) { return Base64.getEncoder().encodeToString(bytes); }
int port = ready ? startServer(0) : 0;
int aheadPort = ready ? startServer(3600) : 0;     // a second server whose clock is an hour ahead

// ---- one attempt: connect, authenticate, print the answer ----------------------------------------
Authorization attempt(String title, int serverPort, PushIdentity who, String deviceId, boolean showWire) throws Exception {
  System.out.println();
  System.out.println(title);
  PushClient push = new PushClient(sockets, "https://127.0.0.1:" + serverPort, who, deviceId);
  if (showWire) push.onWire(line -> System.out.println("  wire " + brief(line)));
  push.onMessage(m -> System.out.println("  message " + m.id() + ": header=\"" + new String(m.header())
      + "\" body=" + (m.id().equals("msg-1") ? "\"" + new String(m.body()) + "\"" : m.body().length + " bytes, 0x00 to 0xFF")));
  Authorization answer = push.connect();
  System.out.println("  -> " + answer);
  if (answer.authorized()) {
    Thread.sleep(300);   // let the pushed messages and their acknowledgements go by
    System.out.println("  socket " + push.socketName() + ": " + sockets.tlsInfo(push.socketName()));
    push.close();
  }
  return answer;
}

// ---- 1. authorized: the frames on the wire, two pushed messages, their acknowledgements -------------
if (ready) {
  attempt("1. alice's phone signs in; every WebSocket frame shown (→ sent, ← received):", port, alice, "phone-1", true);
  String seen = serverOutput.get(servers.get(0)).toString();
  for (String id : List.of("msg-1", "msg-2")) {
    System.out.println("  the server saw the acknowledgement of " + id + ": " + seen.contains("\"recieved\",\"messageId\":\"" + id + "\""));
  }
}

// ---- 2. time: the server's clock is an hour ahead; the client signs serverTime and tries again ----
if (ready) {
  Authorization a = attempt("2. alice's phone, against a server whose clock is an hour ahead:", aheadPort, alice, "phone-1", false);
  System.out.println("  retried: " + a.retried() + ", signed serverTime " + a.serverTime().getAsLong()
      + " (here it is " + System.currentTimeMillis() / 1000 + ")");
}

// ---- 3 to 6: the refusals --------------------------------------------------------------------------
if (ready) {
  PushIdentity forged = PushIdentity.of(new KeyPair(alice.keyPair().getPublic(), mallory.keyPair().getPrivate()));
  attempt("3. mallory claims alice's phone, signing with her own key:", port, forged, "phone-1", false);
  attempt("4. mallory's own key, which the server has never seen:", port, mallory, "phone-1", false);
  attempt("5. bob's tablet: his key was revoked:", port, bob, "tablet-2", false);
  attempt("6. a device id with the separator in it (passed on unchanged; the server judges):", port, alice, "phone|1", false);
}

// ---- tidy up --------------------------------------------------------------------------------------------
{
  for (Process p : servers) { p.getOutputStream().close(); p.destroy(); p.waitFor(); }
  sockets.close();
  deleteCerts();
  System.out.println();
  System.out.println(ready ? "done: authorized with two messages acknowledged, time (then retry), signature, not registered, revoked, badly formed credentials"
      : "done: nothing to show without node (see above)");
}
/exit
