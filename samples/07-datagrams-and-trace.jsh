// 07 - Datagrams, and a wire trace you can open in Wireshark.
// Run it with:  ./sockscript samples/07-datagrams-and-trace.jsh
//
// Part 1: a UDP exchange. A datagram listener (acceptDatagram) echoes what it gets, replying from
// its own port; a datagram socket (openDatagram) sends to it and prints the replies.
// Part 2: a STARTTLS dialogue between two registries, traced as it happens: to the screen, and to a
// pcapng file that tshark (Wireshark's command line) reads back, when tshark is installed.
// The certificate is a throwaway one, made with the JDK's keytool in a temp folder deleted at the end;
// the certificate plumbing lives in samples/helpers.jsh.
// (JShell runs each top-level statement separately, so steps that belong together are in { } blocks.)

import java.util.concurrent.*;

// ---- 1. datagrams -----------------------------------------------------------------------------
// A listener on loopback only. Each datagram comes whole to the lambda, with the sender's "ip:port";
// writeDatagram answers from the listener's port, which is where the sender expects its answer.
String udpPort = sockets.acceptDatagram("127.0.0.1", 0, (socket, peer, data) -> {
  try {
    sockets.writeDatagram(socket, peer, "echo: " + new String(data, StandardCharsets.UTF_8));
  } catch (IOException e) {
    throw new UncheckedIOException(e);
  }
});
var replies = new LinkedBlockingQueue<String>();
String udp = "127.0.0.1:" + udpPort;
{
  sockets.openDatagram(udp, (socket, peer, data) ->
      replies.add("\"" + new String(data, StandardCharsets.UTF_8) + "\" (" + data.length + " bytes) from " + peer));
  System.out.println("1. a datagram listener on " + udpPort + ", a datagram socket to it; openSockets: " + sockets.openSockets());
  sockets.write(udp, "hello");        // exactly one datagram
  sockets.write(udp, new byte[0]);    // a datagram of 0 bytes is a datagram too
  for (int i = 0; i < 2; i++) {
    String reply = replies.poll(10, TimeUnit.SECONDS);
    if (reply == null) throw new IllegalStateException("no datagram came back within 10 s");
    System.out.println("   client got " + reply);
  }
  try {
    sockets.write(udp, new byte[70_000]);
  } catch (IllegalArgumentException tooBig) {
    System.out.println("   a 70,000-byte write: " + tooBig.getMessage());
  }
  sockets.close(udp);
  sockets.close(udpPort);
}

// ---- 2. a throwaway certificate for "localhost" (helpers.jsh makes it with keytool) ------------
/open samples/helpers.jsh
var server = new SocketRegistry();
{
  Path cert = selfSigned("localhost", "localhost");
  server.setServerIdentity(keyStore("localhost"), storePassword);
  sockets.setSslCertificates(List.of(cert));
}

// ---- 3. the server: a little SMTP, script-style -----------------------------------------------
String smtpPort = server.accept("127.0.0.1", 0, new SocketListener() {
  public void newConnection(String socket, String listener) {
    try {
      server.write(socket, "220 ready\r\n");
      server.read(socket, Chunk.until("\r\n"));        // STARTTLS
      server.write(socket, "220 go ahead\r\n", null);   // queued: goes out in plaintext...
      server.secure(socket);                            // ...then the TLS server handshake
      server.read(socket, Chunk.until("\r\n"));        // EHLO, decrypted
      server.write(socket, "250 ok\r\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}, false);

// ---- 4. the client, traced to the screen and to a pcapng file ---------------------------------
// Each line: time, socket, > out or < in, the size, then the bytes as text, or the TLS records
// (type, version, length, handshake messages while they are visible), or the data decrypted beside them.
Path pcap = certs.resolve("starttls.pcapng");
String smtp = "localhost:" + smtpPort;
{
  WireTrace file = WireTrace.toPcapng(pcap);
  System.out.println("2. a STARTTLS dialogue, traced:");
  sockets.trace(WireTrace.all(WireTrace.toStream(System.out), file));
  sockets.open(smtp);
  sockets.read(smtp, Chunk.until("\r\n"));
  sockets.write(smtp, "STARTTLS\r\n");
  sockets.read(smtp, Chunk.until("\r\n"));
  sockets.secure(smtp, true, "localhost");
  sockets.write(smtp, "EHLO me\r\n");
  sockets.read(smtp, Chunk.until("\r\n"));
  sockets.close(smtp);
  sockets.trace(null);
  file.close();
  System.out.println("   wrote a pcapng file of " + Files.size(pcap) + " bytes");
}

// ---- 5. read the file back with tshark, if it is installed --------------------------------------
// "-d tcp.port==N,smtp" decodes our port as SMTP, as Wireshark does port 25 by itself; the
// decrypted data is in the packet comments (frame.comment).
{
  boolean tshark = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
      .anyMatch(dir -> Files.isExecutable(Path.of(dir, "tshark")));
  if (tshark) {
    Process p = new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-d", "tcp.port==" + smtpPort + ",smtp")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
    p.waitFor(30, TimeUnit.SECONDS);
    System.out.println("3. tshark -r reads it back (the first 12 of " + lines.size() + " packets):");
    lines.stream().limit(12).forEach(l -> System.out.println("   " + l.strip()));
  } else {
    System.out.println("3. tshark is not installed (apt-get install tshark); open " + pcap + " in Wireshark instead");
  }
}

{
  server.close();
  deleteCerts();
  System.out.println("done: a UDP exchange, then a STARTTLS dialogue traced to the screen and to pcapng");
}
/exit
