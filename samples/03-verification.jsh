// 03 - Certificate verification: whom does the client trust, and for which name?
// Run it with:  ./sockscript samples/03-verification.jsh
//
// The script makes a small throwaway PKI with the JDK's keytool in a temp folder (deleted at the end):
//   ca.pem          a certificate authority, "Walkthrough CA"
//   localhost.pem   a server certificate for "localhost", signed by the CA
//   other.pem       a server certificate for "other.example", signed by the CA
//   self.pem        a certificate for "localhost" that signs itself (no CA vouches for it)
// Each key lives next to its certificate in a PKCS12 key store of the same name (ca.p12, localhost.p12,
// ...): keytool cannot write a key as PEM, so the servers load the key stores. The keytool plumbing
// lives in samples/helpers.jsh.
// The script starts one TLS server per certificate. The client trusts only the CA.
// (JShell runs each top-level statement separately, so steps that belong together are in { } blocks.)

/open samples/helpers.jsh

// ---- the throwaway PKI (helpers.jsh makes it with keytool) ---------------------------------------
{
  authority("ca", "Walkthrough CA");
  signedBy("ca", "localhost", "localhost");
  signedBy("ca", "other", "other.example");
  selfSigned("self", "localhost");
  System.out.println("Made ca.pem, localhost.pem, other.pem and self.pem in " + certs);
}

// ---- three TLS servers, one per certificate ------------------------------------------------------
// A server's identity belongs to its registry, so each server gets its own. accept(0, listener,
// true) runs the TLS handshake before newConnection; the server then greets the client.
// Handshake failures seen by the servers are kept, to be shown next to the client's view.
var serverErrors = new LinkedBlockingQueue<String>();
var servers = new ArrayList<SocketRegistry>();
String startServer(String certName) throws Exception {
  var server = new SocketRegistry();
  servers.add(server);
  server.setServerIdentity(keyStore(certName), storePassword);
  return server.accept(0, new SocketListener() {
    public void newConnection(String socket, String listener) {
      server.write(socket, "hello from the server with " + certName + ".pem\r\n", null);
    }
    public void socketError(String socket, String reason) { serverErrors.add(reason); }
  }, true);
}
String goodPort = startServer("localhost");
String otherPort = startServer("other");
String selfPort = startServer("self");

// ---- the client trusts the CA, and only the CA -----------------------------------------------------
// A non-empty sslCertificates replaces the JDK's roots (an empty list goes back to them).
{
  sockets.setSslCertificates(List.of(certs.resolve("ca.pem")));
  System.out.println("The client trusts: " + sockets.sslCertificates());
}

// Connects with openSecure, prints the greeting and the TLS details, closes.
void visit(String socket, boolean verification, String verificationHost) throws IOException {
  System.out.println("openSecure(\"" + socket + "\", " + verification + ", "
      + (verificationHost == null ? "null" : "\"" + verificationHost + "\"") + ")");
  sockets.openSecure(socket, verification, verificationHost);
  TlsInfo info = sockets.tlsInfo(socket);
  System.out.println("  tlsInfo: " + info);
  info.describeChain().forEach(line -> System.out.println("    " + line));
  System.out.println("  reads: " + sockets.read(socket, Chunk.until("\r\n")).trim());
  sockets.close(socket);
}

// Shows a failing connection twice: with a listener (the reason arrives as socketError) and in
// the blocking form (the same reason is the exception's message).
void fail(String socket, String verificationHost) throws Exception {
  var reason = new CompletableFuture<String>();
  sockets.openSecure(socket, true, verificationHost, new SocketListener() {
    public void connected(String s) { reason.complete("connected (unexpected!)"); }
    public void socketError(String s, String r) { reason.complete(r); }
  });
  System.out.println("  with a listener, socketError: " + reason.get(10, TimeUnit.SECONDS));
  System.out.println("  the server saw: " + serverErrors.poll(3, TimeUnit.SECONDS));
  sockets.close(socket);  // a failed socket remembers its reason until its name is closed
  try {
    sockets.openSecure(socket, true, verificationHost);
    System.out.println("  the blocking form connected (unexpected!)");
  } catch (IOException e) {
    System.out.println("  the blocking form throws " + e.getClass().getSimpleName() + ": " + e.getMessage());
  }
  sockets.close(socket);
  serverErrors.poll(3, TimeUnit.SECONDS);  // the server's view of the second attempt
  System.out.println("  openSockets() = " + sockets.openSockets() + ": no plaintext fallback, the socket is gone");
}

// ---- 1. verification on: the chain leads to the trusted CA and the name matches -----------------
{
  System.out.println();
  System.out.println("1. A certificate for localhost, signed by the trusted CA:");
  visit("localhost:" + goodPort, true, null);
}

// ---- 2. verification off: anything goes, and tlsInfo says so -------------------------------------
{
  System.out.println();
  System.out.println("2. The self-signed certificate, with verification off:");
  visit("localhost:" + selfPort, false, null);
}

// ---- 3. verificationHost: connect to one name, verify another ------------------------------------
// The socket's host is what it connects to; verificationHost is what the certificate must name
// (SNI carries it too). Here: connect to 127.0.0.1, a name the certificate does not carry.
{
  System.out.println();
  System.out.println("3. Connecting to 127.0.0.1, whose certificate only names localhost:");
  System.out.println("openSecure(\"127.0.0.1:" + goodPort + "\", true, null) checks the name 127.0.0.1:");
  fail("127.0.0.1:" + goodPort, null);
  visit("127.0.0.1:" + goodPort, true, "localhost");
}

// ---- 4. the wrong host -----------------------------------------------------------------------------
{
  System.out.println();
  System.out.println("4. A valid certificate, but for other.example, on a server we reach as localhost:");
  fail("localhost:" + otherPort, null);
}

// ---- 5. an untrusted certificate --------------------------------------------------------------------
{
  System.out.println();
  System.out.println("5. The self-signed certificate for localhost, with verification on (no trusted CA signed it):");
  fail("localhost:" + selfPort, null);
}

// ---- tidy up -----------------------------------------------------------------------------------------
{
  servers.forEach(SocketRegistry::close);
  sockets.close();
  deleteCerts();
  System.out.println();
  System.out.println("done: verified, unverified, verificationHost, wrong host and untrusted certificates");
}
/exit
