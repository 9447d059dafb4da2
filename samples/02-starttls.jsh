// 02 - STARTTLS: an SMTP-style dialogue that upgrades to TLS in the middle, and what the wire shows.
// Run it with:  ./sockscript samples/02-starttls.jsh
//
// Three parties, all on loopback:
//   a server   - a second registry, `server`, speaking a little SMTP, script-style;
//   a relay    - a few lines of plain Java between client and server that keep a copy of every byte;
//   the client - the registry `sockets`.
// The certificate is a throwaway one, made with the JDK's keytool in a temp folder and deleted at the end;
// the relay and the certificate plumbing live in samples/helpers.jsh.
// (JShell runs each top-level statement separately, so steps that belong together are in { } blocks.)

/open samples/helpers.jsh

// ---- a throwaway certificate for "localhost" (helpers.jsh makes it with keytool) ----------------
// The server presents it, with its key; the client trusts exactly it (a non-empty sslCertificates
// replaces the JDK's roots).
var server = new SocketRegistry();
{
  Path cert = selfSigned("localhost", "localhost");
  System.out.println("Made a self-signed certificate for localhost in " + certs);
  server.setServerIdentity(keyStore("localhost"), storePassword);
  sockets.setSslCertificates(List.of(cert));
}

// The relay between client and server (class Relay in helpers.jsh) keeps a copy of every byte.

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
  deleteCerts();
  System.out.println("done: STARTTLS on both sides, queued plaintext before the ClientHello, nothing plain after secure");
}
/exit
