// Shared by the walkthroughs, which load it with  /open samples/helpers.jsh : nothing here is the
// library; it is the plumbing around it, kept out of the way so each walkthrough reads as a tour of
// the verbs. Throwaway certificates made with the JDK's keytool, and a relay that records the wire.

import java.security.KeyStore;

// ---- throwaway certificates --------------------------------------------------------------------
// All in a temp folder, `certs`, that deleteCerts() removes. Each key lives in a PKCS12 key store,
// <name>.p12, next to its certificate in PEM, <name>.pem (keytool cannot write a key as PEM, so
// servers load the key store: server.setServerIdentity(keyStore("name"), storePassword)).
Path certs = Files.createTempDirectory("sockscript-walkthrough-");
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

// A certificate for `dnsName` that signs itself: <name>.p12 and <name>.pem. Returns <name>.pem.
Path selfSigned(String name, String dnsName) throws Exception {
  keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1",
      "-dname", "CN=" + dnsName, "-ext", "san=dns:" + dnsName, "-keystore", name + ".p12");
  keytool("-exportcert", "-rfc", "-alias", name, "-keystore", name + ".p12", "-file", name + ".pem");
  return certs.resolve(name + ".pem");
}

// A certificate authority named `commonName`: <name>.p12 and <name>.pem. Returns <name>.pem.
Path authority(String name, String commonName) throws Exception {
  keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "1",
      "-dname", "CN=" + commonName, "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign", "-keystore", name + ".p12");
  keytool("-exportcert", "-rfc", "-alias", name, "-keystore", name + ".p12", "-file", name + ".pem");
  return certs.resolve(name + ".pem");
}

// A server certificate for `dnsName` signed by the authority `ca`: <name>.p12 holds the key with the
// chain (leaf, then CA), and so does <name>.pem. Returns <name>.pem.
Path signedBy(String ca, String name, String dnsName) throws Exception {
  keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
      "-dname", "CN=" + dnsName, "-keystore", name + ".p12");           // a key, self-signed for now
  keytool("-certreq", "-alias", name, "-keystore", name + ".p12", "-file", name + ".csr");
  keytool("-gencert", "-alias", ca, "-keystore", ca + ".p12", "-infile", name + ".csr", "-rfc", "-outfile", name + ".crt",
      "-validity", "1", "-ext", "san=dns:" + dnsName, "-ext", "bc:c=ca:false", "-ext", "ku:c=digitalSignature",
      "-ext", "eku=serverAuth");                                         // the CA signs it
  Files.writeString(certs.resolve(name + ".pem"),
      Files.readString(certs.resolve(name + ".crt")) + Files.readString(certs.resolve(ca + ".pem")));
  keytool("-importcert", "-noprompt", "-alias", name, "-keystore", name + ".p12",
      "-file", name + ".pem");                                           // the key now comes with the chain
  return certs.resolve(name + ".pem");
}

// The key store <name>.p12, for setServerIdentity(keyStore(name), storePassword).
KeyStore keyStore(String name) throws Exception {
  return KeyStore.getInstance(certs.resolve(name + ".p12").toFile(), storePassword);
}

void deleteCerts() throws IOException {
  try (var files = Files.walk(certs)) { files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete()); }
}

// ---- the recording relay: plain Java, one thread per direction -----------------------------------
// It forwards one connection to a server on localhost and keeps a copy of every byte, each way.
// Its static helpers find where TLS starts in a byte stream and print what the wire looked like.
class Relay {
  final ServerSocket listener;
  final ByteArrayOutputStream up = new ByteArrayOutputStream();    // client -> server
  final ByteArrayOutputStream down = new ByteArrayOutputStream();  // server -> client
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
        Thread toServer = pump(client, target, up, upstream);
        Thread toClient = pump(target, client, down, new CountDownLatch(0));
        toServer.join();
        toClient.join();
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
