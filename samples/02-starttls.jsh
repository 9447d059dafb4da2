// 02 - STARTTLS: an SMTP-style dialogue that upgrades to TLS in the middle, and what the wire shows.
// Run it with:  ./sockscript samples/02-starttls.jsh
//
// Three parties, all on loopback:
//   a server   - a second registry, `server`, speaking a little SMTP, script-style;
//   a relay    - a few lines of plain Java between client and server that keep a copy of every byte;
//   the client - the registry `sockets`.
// The certificate is a throwaway one, made with the JDK's keytool in a temp folder and deleted at the end.
// (JShell runs each top-level statement separately, so steps that belong together are in { } blocks.)

import java.security.KeyStore;

// ---- a throwaway certificate for "localhost" -------------------------------------------------
// keytool keeps the key and its certificate in a PKCS12 key store, localhost.p12, and exports the
// certificate alone as PEM, localhost.pem. (It cannot write the key as PEM, so the server loads the
// key store.)
Path certs = Files.createTempDirectory("sockscript-02-");
char[] storePassword = "walkthrough".toCharArray();  // keytool wants one, 6 characters or more
void keytool(String... args) throws Exception {
  List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
  command.addAll(List.of(args));
  command.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(storePassword)));
  Process p = new ProcessBuilder(command).directory(certs.toFile()).redirectErrorStream(true).start();
  p.getOutputStream().close();  // never wait for an answer at a prompt
  String out = new String(p.getInputStream().readAllBytes());
  if (p.waitFor() != 0) throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + out);
}
var server = new SocketRegistry();
{
  keytool("-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1",
      "-dname", "CN=localhost", "-ext", "san=dns:localhost", "-keystore", "localhost.p12");
  keytool("-exportcert", "-rfc", "-alias", "localhost", "-keystore", "localhost.p12", "-file", "localhost.pem");
  System.out.println("Made a self-signed certificate for localhost in " + certs);
  // The server presents it (with its key, from localhost.p12); the client trusts exactly it,
  // localhost.pem (a non-empty sslCertificates replaces the JDK's roots).
  server.setServerIdentity(KeyStore.getInstance(certs.resolve("localhost.p12").toFile(), storePassword), storePassword);
  sockets.setSslCertificates(List.of(certs.resolve("localhost.pem")));
}

// ---- the recording relay: plain Java, one thread per direction --------------------------------
// It forwards one connection to the server and keeps a copy of every byte, each way. Its static
// helpers find where TLS starts in a byte stream and print what the wire looked like.
class Relay {
  final ServerSocket listener;
  final ByteArrayOutputStream up = new ByteArrayOutputStream();    // client -> server
  final ByteArrayOutputStream down = new ByteArrayOutputStream();  // server -> client
  final Thread[] pumps = new Thread[2];
  final CountDownLatch ended = new CountDownLatch(1);
  final CountDownLatch upstream = new CountDownLatch(1); // client -> server flows once this opens
  Relay(int targetPort) throws IOException { this(targetPort, false); }
  // holdUpstream: read nothing from the client until releaseUpstream(), so its writes back up.
  Relay(int targetPort, boolean holdUpstream) throws IOException {
    if (!holdUpstream) upstream.countDown();
    listener = new ServerSocket(0, 1, InetAddress.getByName("localhost"));
    Thread t = new Thread(() -> {
      try (ServerSocket l = listener; Socket client = l.accept();
           Socket target = new Socket(InetAddress.getByName("localhost"), targetPort)) {
        pumps[0] = pump(client, target, up, upstream);
        pumps[1] = pump(target, client, down, new CountDownLatch(0));
        pumps[0].join();
        pumps[1].join();
      } catch (Exception e) {
        System.out.println("relay: " + e);
      }
      ended.countDown();
    });
    t.setDaemon(true);
    t.start();
  }
  Thread pump(Socket from, Socket to, ByteArrayOutputStream record, CountDownLatch open) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[65536];
      try {
        open.await(20, TimeUnit.SECONDS);
        for (int n; (n = from.getInputStream().read(buffer)) > 0; ) {
          synchronized (record) { record.write(buffer, 0, n); }
          to.getOutputStream().write(buffer, 0, n);
        }
        to.shutdownOutput(); // pass the end of the stream on
      } catch (IOException | InterruptedException e) {
        // the other direction closed the sockets
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }
  int port() { return listener.getLocalPort(); }
  void releaseUpstream() { upstream.countDown(); }
  void awaitEnd() throws InterruptedException { ended.await(10, TimeUnit.SECONDS); }
  byte[] up() { synchronized (up) { return up.toByteArray(); } }
  byte[] down() { synchronized (down) { return down.toByteArray(); } }

  // Where TLS starts: the first record header (type 0x14..0x17, then 0x03 0x0n). Printable text
  // and CR/LF never look like that.
  static int firstTlsRecord(byte[] b) {
    for (int p = 0; p + 2 < b.length; p++)
      if (b[p] >= 0x14 && b[p] <= 0x17 && b[p + 1] == 0x03 && b[p + 2] <= 0x04) return p;
    return -1;
  }
  static String hex(byte[] b, int from, int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < Math.min(b.length, from + count); i++) sb.append(String.format("%02x ", b[i]));
    return sb.toString().trim();
  }
  static String escape(String s) { return s.replace("\r", "\\r").replace("\n", "\\n"); }

  // One direction of the wire: the plaintext lines, then the header of each TLS record.
  static void show(String direction, byte[] b) {
    int tls = firstTlsRecord(b);
    System.out.println(direction + ", " + b.length + " bytes:");
    String plain = new String(b, 0, tls < 0 ? b.length : tls, StandardCharsets.ISO_8859_1);
    for (String line : plain.split("(?<=\n)"))
      if (!line.isEmpty()) System.out.println("    text  \"" + escape(line) + "\"");
    for (int p = tls; p >= 0 && p + 5 <= b.length; p += 5 + ((b[p + 3] & 0xff) << 8 | (b[p + 4] & 0xff))) {
      int length = (b[p + 3] & 0xff) << 8 | (b[p + 4] & 0xff);
      int first = p + 5 < b.length ? b[p + 5] : -1;
      String type = switch (b[p]) {
        case 0x14 -> "change_cipher_spec";
        case 0x15 -> "alert";
        case 0x16 -> first == 1 ? "handshake: ClientHello" : first == 2 ? "handshake: ServerHello" : "handshake";
        case 0x17 -> "application_data (encrypted)";
        default -> "?";
      };
      System.out.printf("    TLS   %-23s ...  %s, %d byte%s%n", hex(b, p, 8), type, length, length == 1 ? "" : "s");
    }
  }
}

// ---- the server: a little SMTP, script-style ----------------------------------------------------
// Its listener runs the whole conversation with blocking verbs (listeners never run on the I/O
// thread, so they may wait). What it prints is indented and starts with "server:".
CompletableFuture<TlsInfo> serverTls = new CompletableFuture<>();
String smtpPort = server.accept(0, new SocketListener() {
  public void newConnection(String socket, String listener) {
    try {
      server.write(socket, "220 localhost ESMTP sockscript walkthrough\r\n");
      server.read(socket, Chunk.until("\r\n"));                       // EHLO
      server.write(socket, "250-localhost hello\r\n250 STARTTLS\r\n");
      String command = server.read(socket, Chunk.until("\r\n"));      // STARTTLS
      System.out.println("    server: got " + command.trim() + ", queues the reply \"220 Ready to start TLS\", calls secure(socket)");
      server.write(socket, "220 Ready to start TLS\r\n", null);        // queued: goes out in plaintext...
      server.secure(socket);                                           // ...then the TLS server handshake
      String ehlo = server.read(socket, Chunk.until("\r\n"));         // decrypted for us
      System.out.println("    server: read over TLS: " + ehlo.trim());
      serverTls.complete(server.tlsInfo(socket));
      server.write(socket, "250-localhost hello again, privately\r\n250 AUTH PLAIN\r\n");
      server.read(socket, Chunk.until("\r\n"));                       // QUIT
      server.write(socket, "221 bye\r\n");
      server.close(socket);
    } catch (Exception e) {
      System.out.println("    server: failed: " + e);
      serverTls.completeExceptionally(e);
    }
  }
});
var relay = new Relay(Integer.parseInt(smtpPort));

// ---- the client --------------------------------------------------------------------------------
// The socket is named "localhost:<relay port>", so `secure` checks the certificate for "localhost".
String c = "localhost:" + relay.port();
void send(String line) throws IOException {
  System.out.println("C: " + line.trim());
  sockets.write(c, line);
}
void reply() throws IOException {  // an SMTP reply: lines "250-..." up to one "250 ..."
  String line;
  do {
    line = sockets.read(c, Chunk.until("\r\n"));
    System.out.println("S: " + line.trim());
  } while (line.length() > 3 && line.charAt(3) == '-');
}
{
  System.out.println("SMTP server on port " + smtpPort + "; the client goes through the relay on port " + relay.port());
  sockets.open(c);
  reply();                                   // 220 greeting
  send("EHLO client.example\r\n");
  reply();                                   // 250 STARTTLS is offered
  send("STARTTLS\r\n");
  reply();                                   // 220 Ready to start TLS (still plaintext)
  System.out.println("client: calls secure(c, true, null): verify the chain, and the name \"localhost\"");
  sockets.secure(c, true, null);
  send("EHLO client.example\r\n");           // encrypted: this write waits for the handshake
  reply();
  System.out.println("client tlsInfo: " + sockets.tlsInfo(c));
  System.out.println("server tlsInfo: " + serverTls.get(10, TimeUnit.SECONDS)
      + "  (a server that asks for no client certificate has nothing to verify)");
  send("QUIT\r\n");
  reply();
  sockets.close(c);
  relay.awaitEnd();
}

// ---- what the relay saw ------------------------------------------------------------------------
{
  System.out.println();
  System.out.println("The wire, as the relay recorded it:");
  Relay.show("  client -> server", relay.up());
  Relay.show("  server -> client", relay.down());
  byte[] up = relay.up();
  int tls = Relay.firstTlsRecord(up);
  String clear = new String(up, 0, tls, StandardCharsets.ISO_8859_1);
  System.out.println("The ClientHello (offset " + tls + ") comes right after \"STARTTLS\\r\\n\"; in the clear the client sent "
      + (clear.split("EHLO", -1).length - 1) + " EHLO and " + (clear.split("QUIT", -1).length - 1)
      + " QUIT: the second EHLO and the QUIT are inside the encrypted records.");
}

// ---- write unencrypted, secure, write encrypted ------------------------------------------------
// A big plaintext write is queued with a callback (it returns at once), secure is called while it
// is still being sent, then a second write follows. The rule: the queued plaintext finishes first,
// in the clear; the second write is encrypted, and no byte of it ever leaves in plaintext.
// 24 MiB: more than loopback's socket buffers hold while the relay below holds it back, so the
// write is certainly still queued in the registry when secure is called.
byte[] bulk = ("PLAINTEXT-BULK " + "x".repeat(24 * 1024 * 1024) + "\r\n").getBytes(StandardCharsets.US_ASCII);
CompletableFuture<String> serverSaw = new CompletableFuture<>();
String bulkPort = server.accept(0, new SocketListener() {
  public void newConnection(String socket, String listener) {
    try {
      long plain = 0;                            // the plaintext, all of it, 1 MiB at a time
      while (plain < bulk.length) plain += server.readBytes(socket, Chunk.bytes((int) Math.min(1 << 20, bulk.length - plain))).length;
      server.secure(socket);                     // everything not yet read (the ClientHello) is TLS input
      String line = server.read(socket, Chunk.until("\r\n"));
      server.write(socket, "250 got your secret\r\n");
      serverSaw.complete("read the " + plain + " plaintext bytes, called secure(socket), then read over TLS: " + line.trim());
    } catch (Exception e) {
      serverSaw.completeExceptionally(e);
    }
  }
});
var relay2 = new Relay(Integer.parseInt(bulkPort), true); // holds the client's bytes until told
String c2 = "localhost:" + relay2.port();
{
  System.out.println();
  System.out.println("Write unencrypted, secure, write encrypted (a second connection, through a second relay):");
  sockets.open(c2);
  var bulkWritten = new CompletableFuture<String>();
  sockets.write(c2, bulk, bulkWritten::complete);                // 1. queued; returns at once
  boolean stillQueued = !bulkWritten.isDone();
  sockets.secure(c2, true, null);                                // 2. upgrade while it is being sent
  sockets.write(c2, "SECRET written after secure\r\n", null);    // 3. encrypted, never in plaintext
  relay2.releaseUpstream();                                      // now let the bytes flow
  System.out.println("client: write(" + bulk.length + " bytes, callback) returned; the write was "
      + (stillQueued ? "still queued" : "already sent") + " when secure was called; then write(\"SECRET written after secure\")");
  System.out.println("    server: " + serverSaw.get(10, TimeUnit.SECONDS));
  System.out.print("S: " + sockets.read(c2, Chunk.until("\r\n")));
  System.out.println("client tlsInfo: " + sockets.tlsInfo(c2));
  sockets.close(c2);
  relay2.awaitEnd();

  byte[] wire = relay2.up();
  int hello = Relay.firstTlsRecord(wire);
  String text = new String(wire, StandardCharsets.ISO_8859_1);
  System.out.println("The relay saw " + wire.length + " bytes from the client:");
  System.out.println("  bytes 0.." + (hello - 1) + ": the plaintext \"" + text.substring(0, 24) + "...xxx\\r\\n\"");
  System.out.println("  bytes " + hello + "..: " + Relay.hex(wire, hello, 6) + " ...  a TLS handshake record: "
      + (wire[hello + 5] == 1 ? "the ClientHello" : "not a ClientHello?"));
  System.out.println("So the ClientHello follows the queued plaintext: "
      + (hello == bulk.length ? "yes, right after its last byte" : "NO, at offset " + hello));
  System.out.println("\"SECRET\" appears " + (text.split("SECRET", -1).length - 1)
      + " times in the captured bytes: the write made after secure never left in plaintext.");
}

// ---- tidy up -----------------------------------------------------------------------------------
{
  server.close();
  sockets.close();
  try (var files = Files.walk(certs)) { files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); }
  System.out.println("done: STARTTLS on both sides, queued plaintext before the ClientHello, nothing plain after secure");
}
/exit
