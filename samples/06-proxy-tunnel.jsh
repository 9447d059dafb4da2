// 06 - TLS through an HTTP CONNECT proxy: why `secure` takes a verificationHost.
// Run it with:  ./sockscript samples/06-proxy-tunnel.jsh
//
// Behind a proxy, the client's socket is connected to the proxy, so its name is the proxy's
// ("localhost:<proxy port>"). After "CONNECT target.example:443" the same socket carries a tunnel
// to target.example, and the TLS handshake inside it must be verified for target.example, not for
// the proxy. That is secure(socket, true, "target.example").
//
// Three parts, all on loopback:
//   target - a registry `target` with a certificate for target.example, accepting TLS;
//   proxy  - a registry `proxy` with a tiny CONNECT proxy built from accept, read, open and write;
//   client - the registry `sockets`.
// (JShell runs each top-level statement separately, so steps that belong together are in { } blocks.)

/open samples/helpers.jsh

// ---- a throwaway certificate for target.example (helpers.jsh makes it with keytool) ---------------
sockets.setSslCertificates(List.of(selfSigned("target", "target.example")));  // the client trusts it

// ---- the target: a TLS server for target.example that answers one HTTP request -------------------
var target = new SocketRegistry();
String targetPort;
{
  target.setServerIdentity(keyStore("target"), storePassword);
  targetPort = target.accept(0, new SocketListener() {
    public void newConnection(String socket, String listener) {   // after the TLS handshake
      try {
        String request = target.read(socket, Chunk.until("\r\n\r\n"));
        String body = "Hello from target.example! You asked: " + request.lines().findFirst().orElse("") + "\n";
        target.write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
            + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        target.close(socket);
      } catch (IOException e) {
        // the client gave up (see part 2)
      }
    }
  }, true);
}

// ---- the proxy ----------------------------------------------------------------------------------------
// On each connection: read the CONNECT request, open a socket to the target, answer "200 Connection
// established", then copy bytes both ways until either side hangs up. It cannot read what it
// copies: after the 200 line everything is TLS. It keeps the first bytes of each tunnel to show that.
// target.example is a reserved name that does not resolve, so the proxy has its own little table.
var proxy = new SocketRegistry();
Map<String, String> routes = Map.of("target.example:443", "localhost:" + targetPort);
var tunnelLog = new LinkedBlockingQueue<String>();
int tunnels = 0;

// One direction of a tunnel: wait for at least one byte, take whatever else is buffered, pass it on.
void pump(String from, String to, String direction) {
  Thread t = new Thread(() -> {
    long total = 0;
    byte[] head = null;
    try {
      while (true) {
        byte[] first;
        try {
          first = proxy.readBytes(from, Chunk.bytes(1));
        } catch (java.net.SocketTimeoutException idle) {
          continue;  // an idle tunnel is not an error
        }
        byte[] rest = proxy.readBytes(from, Chunk.available());
        byte[] chunk = new byte[1 + rest.length];
        chunk[0] = first[0];
        System.arraycopy(rest, 0, chunk, 1, rest.length);
        if (head == null) head = Arrays.copyOf(chunk, 5);
        total += chunk.length;
        proxy.write(to, chunk);
      }
    } catch (Exception e) {
      // eof from `from` (or `to` went away): pass the end on, tidy both names
    }
    closeQuietly(from);
    closeQuietly(to);   // flushes what was queued for it, then closes
    tunnelLog.add(direction + ": " + total + " bytes, starting " + (head == null ? "-" : hex(head)));
  });
  t.setDaemon(true);
  t.start();
}
// The other direction may have closed the name already; closing an unknown name is an error.
void closeQuietly(String socket) {
  try {
    proxy.close(socket);
  } catch (IllegalStateException alreadyClosed) {
  }
}
String hex(byte[] b) {
  StringBuilder sb = new StringBuilder();
  for (byte x : b) sb.append(String.format("%02x ", x));
  return sb.toString().trim();
}
String proxyPort = proxy.accept(0, new SocketListener() {
  public void newConnection(String socket, String listener) {
    try {
      String request = proxy.read(socket, Chunk.until("\r\n\r\n"));
      String[] words = request.lines().findFirst().orElse("").split(" ");
      String upstream = words.length == 3 && words[0].equals("CONNECT") ? routes.get(words[1]) : null;
      if (upstream == null) {
        System.out.println("    proxy: refuses " + request.lines().findFirst().orElse(""));
        proxy.write(socket, "HTTP/1.1 502 Bad Gateway\r\n\r\n");
        proxy.close(socket);
        return;
      }
      String tunnel = upstream + "|tunnel-" + (++tunnels);  // a label: one socket per tunnel
      proxy.open(tunnel);
      System.out.println("    proxy: " + words[0] + " " + words[1] + " -> opened \"" + tunnel + "\", answers 200");
      proxy.write(socket, "HTTP/1.1 200 Connection established\r\n\r\n");
      pump(socket, tunnel, "      client -> target");
      pump(tunnel, socket, "      target -> client");
    } catch (IOException e) {
      System.out.println("    proxy: " + e.getMessage());
    }
  }
});

// ---- the client: CONNECT, then secure with verificationHost ---------------------------------------
// Opens a plaintext socket to the proxy and asks for a tunnel; returns the socket's name.
String tunnelTo(String label) throws IOException {
  String p = "localhost:" + proxyPort + "|" + label;
  sockets.open(p);
  System.out.println("C: CONNECT target.example:443 HTTP/1.1");
  sockets.write(p, "CONNECT target.example:443 HTTP/1.1\r\nHost: target.example:443\r\n\r\n");
  System.out.println("S: " + sockets.read(p, Chunk.until("\r\n\r\n")).trim());
  return p;
}
{
  System.out.println("target.example (TLS) listens on port " + targetPort + ", the CONNECT proxy on port " + proxyPort);
  System.out.println();
  System.out.println("1. Through the tunnel, verifying target.example:");
  String p = tunnelTo("1");
  System.out.println("client: secure(\"" + p + "\", true, \"target.example\")");
  sockets.secure(p, true, "target.example");
  System.out.println("client tlsInfo: " + sockets.tlsInfo(p));   // waits for the handshake
  System.out.println("C: GET /hello HTTP/1.1   (encrypted, inside the tunnel)");
  sockets.write(p, "GET /hello HTTP/1.1\r\nHost: target.example\r\nConnection: close\r\n\r\n");
  String response = sockets.read(p, Chunk.untilEnd());   // the target closes after answering
  response.lines().forEach(line -> System.out.println("S: " + line));
  sockets.close(p);   // tidies the name: the peer has closed the socket already
  System.out.println("What the proxy saw in tunnel 1 (TLS records: 0x16 handshake, 0x17 application data):");
  Stream.of(tunnelLog.poll(10, TimeUnit.SECONDS), tunnelLog.poll(10, TimeUnit.SECONDS))
      .map(String::valueOf).sorted().forEach(System.out::println);
}

// ---- 2. the same without verificationHost ---------------------------------------------------------
// secure(p, true, null) checks the certificate against the socket's own host, which is the proxy's.
{
  System.out.println();
  System.out.println("2. The same, but secure(socket, true, null): the name checked is the socket's host, localhost:");
  String p = tunnelTo("2");
  sockets.secure(p, true, null);
  try {
    sockets.write(p, "GET /hello HTTP/1.1\r\nHost: target.example\r\n\r\n");  // waits for the handshake
    System.out.println("client: the request went out (unexpected!)");
  } catch (IOException e) {
    System.out.println("client: the write throws " + e.getClass().getSimpleName() + ": " + e.getMessage());
  }
  sockets.close(p);
  tunnelLog.poll(10, TimeUnit.SECONDS);
  tunnelLog.poll(10, TimeUnit.SECONDS);
}

// ---- tidy up ----------------------------------------------------------------------------------------------
{
  proxy.close();
  target.close();
  sockets.close();
  deleteCerts();
  System.out.println();
  System.out.println("done: CONNECT through a proxy, then secure verified for target.example via verificationHost");
}
/exit
