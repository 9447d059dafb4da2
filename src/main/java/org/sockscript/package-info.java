/**
 * LiveCode's socket commands for Java and JShell: sockets named by {@code "host:port"} strings in
 * a {@link org.sockscript.SocketRegistry}, driven with open, write, read, accept and close, and
 * upgraded to TLS in place with {@code secure} (STARTTLS).
 *
 * <h2>A worked example</h2>
 * A server and a client in one registry: the server greets, the client asks for TLS, both sides
 * call {@code secure}, and the client's next line travels encrypted. The server's certificate is
 * {@code chain.pem} and {@code key.pem}; the client trusts {@code ca.pem}, the CA that signed it.
 * <pre>{@code
 * try (var sockets = new SocketRegistry()) {
 *   sockets.setServerIdentity(Path.of("chain.pem"), Path.of("key.pem"));
 *   sockets.setSslCertificates(List.of(Path.of("ca.pem")));
 *   String port = sockets.accept(0, new SocketListener() {
 *     public void newConnection(String client, String listener) {
 *       try {
 *         sockets.write(client, "220 ready\r\n");
 *         sockets.read(client, Chunk.until("\r\n"));          // "STARTTLS\r\n"
 *         sockets.write(client, "220 go ahead\r\n", null);   // queued: goes out in plaintext
 *         sockets.secure(client);                            // then the TLS handshake
 *         sockets.write(client, "you said " + sockets.read(client, Chunk.until("\r\n")));
 *       } catch (IOException e) {
 *         System.out.println("server: " + e.getMessage());
 *       }
 *     }
 *   });
 *   String name = "localhost:" + port;
 *   sockets.open(name);                                      // blocks until connected
 *   sockets.read(name, Chunk.until("\r\n"));                 // "220 ready\r\n"
 *   sockets.write(name, "STARTTLS\r\n");
 *   sockets.read(name, Chunk.until("\r\n"));                 // "220 go ahead\r\n"
 *   sockets.secure(name, true, "localhost");                 // verify the chain and the name
 *   sockets.write(name, "EHLO me\r\n");                      // encrypted
 *   System.out.print(sockets.read(name, Chunk.until("\r\n"))); // you said EHLO me
 *   System.out.println(sockets.tlsInfo(name));               // TLSv1.3 ... verified as localhost
 * }
 * }</pre>
 *
 * <p>Everything a script uses is in this package: {@link org.sockscript.SocketRegistry} (the
 * verbs and settings), {@link org.sockscript.Chunk} (what a read waits for),
 * {@link org.sockscript.SocketListener} (events), {@link org.sockscript.TlsInfo} (what a
 * handshake settled). Logging goes through SLF4J; add a binding such as {@code slf4j-simple} to
 * see the library's warnings.
 */
package org.sockscript;
