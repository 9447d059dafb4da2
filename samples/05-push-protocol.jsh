// 05 - A push-messaging protocol over TLS: JSON lines, Ed25519 sign-in, server push, acknowledgement.
// Run it with:  ./sockscript samples/05-push-protocol.jsh
//
// The service (a registry named `service`) accepts TLS connections; each message is one line of
// JSON (hand-written here, no JSON library). A device signs in with
//   {"type":"authentication","username":"<base64(identityKey)>|<deviceId>","password":"<timestamp>|<base64(signature of timestamp)>"}
// where identityKey is the device's Ed25519 public key and the signature is made with its private
// key (both straight from the JDK). The service answers {"type":"authorized"} or
// {"type":"not authorized","reason":"..."}, with reason one of: badly formed credentials,
// not registered, revoked, signature, time. A "time" answer carries "serverTime"; the device signs
// that instead and tries again. Once authorized, the service pushes
// {"type":"message","id":"...","header":"<base64>","body":"<base64>"} and the device acknowledges
// with {"type":"received","id":"..."}.
// (JShell runs each top-level statement separately, so steps that belong together are in { } blocks.)

import java.security.*;
import java.security.spec.X509EncodedKeySpec;

/open samples/helpers.jsh

// ---- a throwaway certificate for the service (helpers.jsh makes it with keytool) ----------------
sockets.setSslCertificates(List.of(selfSigned("service", "localhost")));   // devices trust the service's certificate

// ---- helpers: base64, Ed25519, and just enough JSON -------------------------------------------
String b64(byte[] bytes) { return Base64.getEncoder().encodeToString(bytes); }
String sign(PrivateKey key, String text) throws GeneralSecurityException {
  Signature s = Signature.getInstance("Ed25519");
  s.initSign(key);
  s.update(text.getBytes(StandardCharsets.UTF_8));
  return b64(s.sign());
}
// The value of "name" in a flat JSON object: a string (returned without quotes) or a number.
String field(String json, String name) {
  var m = Pattern.compile("\"" + name + "\":(?:\"([^\"]*)\"|(-?\\d+))").matcher(json);
  return !m.find() ? null : m.group(1) != null ? m.group(1) : m.group(2);
}
// Long base64 runs shortened for printing to their first and last 8 characters: "MCowBQYD...n4Rk0s8E=".
String brief(String line) {
  return line.trim().replaceAll("([A-Za-z0-9+/]{8})[A-Za-z0-9+/]{16,}([A-Za-z0-9+/]{8}=*)", "$1...$2");
}

// ---- the service -----------------------------------------------------------------------------
// Registered devices are "base64(identityKey)|deviceId" strings; some of them are revoked.
var registered = new HashSet<String>();
var revoked = new HashSet<String>();
var serviceNotes = new LinkedBlockingQueue<String>();
var service = new SocketRegistry();
{
  service.setServerIdentity(keyStore("service"), storePassword);
}

// Checks one authentication message; returns null when the device may sign in, else the reason.
String check(String username, String password) {
  String[] user = username == null ? new String[0] : username.split("\\|", -1);
  String[] pass = password == null ? new String[0] : password.split("\\|", -1);
  PublicKey identityKey;
  byte[] signature;
  try {
    if (user.length != 2 || pass.length != 2 || !user[1].matches("\\d{1,9}") || !pass[0].matches("\\d{1,19}")) {
      return "badly formed credentials";
    }
    identityKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(user[0])));
    signature = Base64.getDecoder().decode(pass[1]);
  } catch (IllegalArgumentException | GeneralSecurityException e) {
    return "badly formed credentials";
  }
  if (!registered.contains(username)) return "not registered";
  if (revoked.contains(username)) return "revoked";
  try {
    Signature s = Signature.getInstance("Ed25519");
    s.initVerify(identityKey);
    s.update(pass[0].getBytes(StandardCharsets.UTF_8));
    if (!s.verify(signature)) return "signature";
  } catch (GeneralSecurityException e) {
    return "signature";
  }
  long skew = Math.abs(System.currentTimeMillis() - Long.parseLong(pass[0]));
  return skew > Duration.ofMinutes(5).toMillis() ? "time" : null;
}

// One connection, script-style: read authentication lines until the device is authorized (then
// push a message and wait for its acknowledgement) or refused for good (then hang up). Only "time"
// lets the device try again on the same connection.
String servicePort = service.accept(0, new SocketListener() {
  int messages = 0;
  public void newConnection(String socket, String listener) {
    try {
      while (true) {
        String line = service.read(socket, Chunk.until("\n"));
        String reason = "authentication".equals(field(line, "type"))
            ? check(field(line, "username"), field(line, "password")) : "badly formed credentials";
        if (reason == null) break;
        if (!reason.equals("time")) {
          service.write(socket, "{\"type\":\"not authorized\",\"reason\":\"" + reason + "\"}\n");
          service.close(socket);
          serviceNotes.add("refused (" + reason + ") and hung up");
          return;
        }
        service.write(socket, "{\"type\":\"not authorized\",\"reason\":\"time\",\"serverTime\":" + System.currentTimeMillis() + "}\n");
      }
      service.write(socket, "{\"type\":\"authorized\"}\n");
      String id = "msg-" + (++messages);
      service.write(socket, "{\"type\":\"message\",\"id\":\"" + id + "\",\"header\":\"" + b64("from: alice".getBytes(StandardCharsets.UTF_8))
          + "\",\"body\":\"" + b64("Hello over TLS!".getBytes(StandardCharsets.UTF_8)) + "\"}\n");
      String ack = service.read(socket, Chunk.until("\n"));
      serviceNotes.add("received " + ack.trim() + ": " + (id.equals(field(ack, "id")) && "received".equals(field(ack, "type"))
          ? id + " is delivered" : "not the acknowledgement it expected"));
      service.close(socket);
    } catch (Exception e) {
      serviceNotes.add("connection ended: " + e.getMessage());
    }
  }
}, true);

// ---- the devices -------------------------------------------------------------------------------
KeyPair newIdentity() throws GeneralSecurityException { return KeyPairGenerator.getInstance("Ed25519").generateKeyPair(); }
String username(KeyPair identity, int deviceId) { return b64(identity.getPublic().getEncoded()) + "|" + deviceId; }
String authentication(String username, long timestamp, PrivateKey signer) throws GeneralSecurityException {
  return "{\"type\":\"authentication\",\"username\":\"" + username + "\",\"password\":\""
      + timestamp + "|" + sign(signer, String.valueOf(timestamp)) + "\"}\n";
}
var alice = newIdentity();     // registered, device 1
var bob = newIdentity();       // registered, device 2, then revoked
var mallory = newIdentity();   // never registered
{
  registered.add(username(alice, 1));
  registered.add(username(bob, 2));
  revoked.add(username(bob, 2));
  System.out.println("The service listens on port " + servicePort + " (TLS). Registered: alice's device 1, bob's device 2 (revoked).");
}

// Each attempt is its own connection, "localhost:<port>|<label>" (the |label keeps the names apart).
String connect(String label) throws IOException {
  String socket = "localhost:" + servicePort + "|" + label;
  sockets.openSecure(socket, true, null);
  return socket;
}
void send(String socket, String line) throws IOException {
  System.out.println("  device > " + brief(line));
  sockets.write(socket, line);
}
String receive(String socket) throws IOException {
  String line = sockets.read(socket, Chunk.until("\n"));
  System.out.println("  service> " + brief(line));
  return line;
}
// After "authorized": take the pushed message, decode it, acknowledge it.
void takeMessage(String socket) throws Exception {
  String message = receive(socket);
  String header = new String(Base64.getDecoder().decode(field(message, "header")), StandardCharsets.UTF_8);
  String body = new String(Base64.getDecoder().decode(field(message, "body")), StandardCharsets.UTF_8);
  System.out.println("  device: message " + field(message, "id") + " says header=\"" + header + "\" body=\"" + body + "\"");
  send(socket, "{\"type\":\"received\",\"id\":\"" + field(message, "id") + "\"}\n");
}
void finish(String socket) throws Exception {
  System.out.println("  service: " + serviceNotes.poll(10, TimeUnit.SECONDS));
  sockets.close(socket);
}

// ---- 1. authorized --------------------------------------------------------------------------------
{
  System.out.println();
  System.out.println("1. alice's device 1, with a good clock:");
  String s = connect("alice");
  System.out.println("  (" + sockets.tlsInfo(s) + ")");
  send(s, authentication(username(alice, 1), System.currentTimeMillis(), alice.getPrivate()));
  receive(s);
  takeMessage(s);
  finish(s);
}

// ---- 2. time: the device's clock is an hour late; it signs the serverTime and tries again ---------
{
  System.out.println();
  System.out.println("2. alice's device 1, with a clock one hour late:");
  String s = connect("alice-late");
  send(s, authentication(username(alice, 1), System.currentTimeMillis() - Duration.ofHours(1).toMillis(), alice.getPrivate()));
  String answer = receive(s);
  long serverTime = Long.parseLong(field(answer, "serverTime"));
  System.out.println("  device: reason \"" + field(answer, "reason") + "\"; signs serverTime " + serverTime + " and tries again");
  send(s, authentication(username(alice, 1), serverTime, alice.getPrivate()));
  receive(s);
  takeMessage(s);
  finish(s);
}

// ---- 3. signature: alice's public key, but not her private key -------------------------------------
{
  System.out.println();
  System.out.println("3. mallory claims to be alice's device 1, signing with her own key:");
  String s = connect("impostor");
  send(s, authentication(username(alice, 1), System.currentTimeMillis(), mallory.getPrivate()));
  receive(s);
  finish(s);
}

// ---- 4. not registered -------------------------------------------------------------------------------
{
  System.out.println();
  System.out.println("4. mallory's own key, which the service has never seen:");
  String s = connect("mallory");
  send(s, authentication(username(mallory, 1), System.currentTimeMillis(), mallory.getPrivate()));
  receive(s);
  finish(s);
}

// ---- 5. revoked -----------------------------------------------------------------------------------------
{
  System.out.println();
  System.out.println("5. bob's device 2, which was revoked:");
  String s = connect("bob");
  send(s, authentication(username(bob, 2), System.currentTimeMillis(), bob.getPrivate()));
  receive(s);
  finish(s);
}

// ---- 6. badly formed credentials -------------------------------------------------------------------
{
  System.out.println();
  System.out.println("6. a username without a device id:");
  String s = connect("garbled");
  send(s, "{\"type\":\"authentication\",\"username\":\"" + b64(alice.getPublic().getEncoded())
      + "\",\"password\":\"" + System.currentTimeMillis() + "|" + sign(alice.getPrivate(), "x") + "\"}\n");
  receive(s);
  finish(s);
}

// ---- tidy up --------------------------------------------------------------------------------------------
{
  service.close();
  sockets.close();
  deleteCerts();
  System.out.println();
  System.out.println("done: authorized, time (then retry), signature, not registered, revoked, badly formed credentials; push and acknowledgement");
}
/exit
