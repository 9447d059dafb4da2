// 03 - Certificate verification: whom does the client trust, and for which name?
// Run it with:  ./sockscript samples/03-verification.jsh
//
// The script makes a small throwaway PKI with the JDK's keytool in a temp folder (deleted at the end):
//   ca.pem          a certificate authority, "Walkthrough CA"
//   localhost.pem   a server certificate for "localhost", signed by the CA
//   other.pem       a server certificate for "other.example", signed by the CA
//   self.pem        a certificate for "localhost" that signs itself (no CA vouches for it)
// Each key lives next to its certificate in a PKCS12 key store of the same name (ca.p12, localhost.p12,
// ...): keytool cannot write a key as PEM, so the servers load the key stores.
// The script starts one TLS server per certificate. The client trusts only the CA.
// (JShell runs each top-level statement separately, so steps that belong together are in { } blocks.)

import java.security.KeyStore;

// ---- the throwaway PKI ---------------------------------------------------------------------------
Path certs = Files.createTempDirectory("sockscript-03-");
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
// A key and a certificate for `dnsName`, signed by the CA; <name>.pem holds the chain (leaf, then CA),
// and <name>.p12 the key with that chain.
void leaf(String name, String dnsName) throws Exception {
  keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
      "-dname", "CN=" + dnsName, "-keystore", name + ".p12");           // a key, self-signed for now
  keytool("-certreq", "-alias", name, "-keystore", name + ".p12", "-file", name + ".csr");
  keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", name + ".csr", "-rfc", "-outfile", name + ".crt",
      "-validity", "1", "-ext", "san=dns:" + dnsName, "-ext", "bc:c=ca:false", "-ext", "ku:c=digitalSignature",
      "-ext", "eku=serverAuth");                                         // the CA signs it
  Files.writeString(certs.resolve(name + ".pem"),
      Files.readString(certs.resolve(name + ".crt")) + Files.readString(certs.resolve("ca.pem")));
  keytool("-importcert", "-noprompt", "-alias", name, "-keystore", name + ".p12",
      "-file", name + ".pem");                                           // the key now comes with the CA's chain
}
{
  keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1",
      "-dname", "CN=Walkthrough CA", "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign", "-keystore", "ca.p12");
  keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
  leaf("localhost", "localhost");
  leaf("other", "other.example");
  keytool("-genkeypair", "-alias", "self", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1",
      "-dname", "CN=localhost", "-ext", "san=dns:localhost", "-keystore", "self.p12");
  keytool("-exportcert", "-rfc", "-alias", "self", "-keystore", "self.p12", "-file", "self.pem");
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
  server.setServerIdentity(KeyStore.getInstance(certs.resolve(certName + ".p12").toFile(), storePassword), storePassword);
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
  try (var files = Files.walk(certs)) { files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); }
  System.out.println();
  System.out.println("done: verified, unverified, verificationHost, wrong host and untrusted certificates");
}
/exit
