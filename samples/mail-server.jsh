// A tiny STARTTLS mail server on localhost:2525, to try the README's examples against.
// Start it with:  ./sockscript samples/mail-server.jsh      (it stops after 10 minutes, or on Ctrl-C)
// then, in a second terminal, ./sockscript and paste the README's "A first dialogue".
//
// It speaks just enough SMTP: a 220 greeting, EHLO (offering STARTTLS), STARTTLS, NOOP, QUIT; every
// line it reads is printed. Its certificate, for "localhost", is a throwaway one that signs itself;
// it is written to target/demo/ (localhost.pem, and its key localhost-key.pem) for clients to trust.
// SOCKSCRIPT_DEMO_PORT=<port> in the environment picks another port.

/open samples/helpers.jsh

int port = Integer.parseInt(System.getenv().getOrDefault("SOCKSCRIPT_DEMO_PORT", "2525"));
Path demo = Files.createDirectories(Path.of("target", "demo"));
{
  Files.copy(selfSigned("localhost", "localhost"), demo.resolve("localhost.pem"), StandardCopyOption.REPLACE_EXISTING);
  // keytool cannot write a key as PEM; the JDK can, in three lines.
  byte[] key = keyStore("localhost").getKey("localhost", storePassword).getEncoded();   // PKCS#8
  Files.writeString(demo.resolve("localhost-key.pem"), "-----BEGIN PRIVATE KEY-----\n"
      + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key) + "\n-----END PRIVATE KEY-----\n");
  deleteCerts();
  sockets.setServerIdentity(demo.resolve("localhost.pem"), demo.resolve("localhost-key.pem"));
}

// One conversation per client, script style: blocking verbs in newConnection (each client is served
// at once: a blocking verb hands the listener's turn on while it waits).
sockets.accept(port, new SocketListener() {
  public void newConnection(String client, String listener) {
    String mode = "plain";
    try {
      sockets.write(client, "220 localhost ESMTP sockscript demo\r\n");
      while (true) {
        String line = sockets.read(client, Chunk.until("\r\n")).strip();
        System.out.println(client + " (" + mode + "): " + line);
        String verb = line.split(" ")[0].toUpperCase(Locale.ROOT);
        if (verb.equals("EHLO") && mode.equals("plain")) {
          sockets.write(client, "250-localhost\r\n250 STARTTLS\r\n");
        } else if (verb.equals("EHLO")) {
          sockets.write(client, "250 localhost, over TLS\r\n");
        } else if (verb.equals("STARTTLS") && mode.equals("plain")) {
          sockets.write(client, "220 go ahead\r\n", null);   // queued: goes out in plaintext...
          sockets.secure(client);                             // ...then the TLS handshake
          mode = "TLS";
        } else if (verb.equals("QUIT")) {
          sockets.write(client, "221 bye\r\n");
          sockets.close(client);
          return;
        } else {
          sockets.write(client, verb.equals("NOOP") ? "250 ok\r\n" : "502 not here\r\n");
        }
      }
    } catch (IOException e) {
      System.out.println(client + ": " + e.getMessage());
    }
  }
});
System.out.println("demo mail server on localhost:" + port + ", STARTTLS with the certificate in "
    + demo.resolve("localhost.pem") + "; stops in 10 minutes (or Ctrl-C)");
Thread.sleep(Duration.ofMinutes(10).toMillis());
sockets.close();
/exit
