package org.sockscript;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.sockscript.internal.Args;
import org.sockscript.internal.HostLookup;
import org.sockscript.internal.ReadRequest;
import org.sockscript.internal.SocketCore;
import org.sockscript.internal.SocketName;
import org.sockscript.internal.Waits;
import org.sockscript.internal.WriteRequest;

/**
 * LiveCode's socket commands for Java: sockets named by {@code "host:port"} strings, opened,
 * written, read, secured (STARTTLS) and closed by name. One I/O thread serves every socket of a
 * registry; blocking verbs wait for it, callback verbs return at once.
 *
 * <pre>{@code
 * try (var sockets = new SocketRegistry()) {
 *   sockets.open("localhost:2525");
 *   System.out.print(sockets.read("localhost:2525", Chunk.until("\r\n")));   // 220 greeting
 *   sockets.write("localhost:2525", "STARTTLS\r\n");
 *   sockets.read("localhost:2525", Chunk.until("\r\n"));                     // 220 go ahead
 *   sockets.secure("localhost:2525", true, "mail.example.com");
 *   sockets.write("localhost:2525", "EHLO me\r\n");                           // encrypted
 * }
 * }</pre>
 *
 * <p><b>Names.</b> {@code host[:port][|id]}, IPv6 in brackets ({@code [::1]:443}), the port a
 * number or a service name ({@code smtp}, {@code https}, ...), 80 if absent. Names are compared
 * whole and case-insensitively: {@code h}, {@code h:80} and {@code h:80|x} are three sockets.
 *
 * <p><b>Order.</b> Reads and writes on one socket are served strictly in the order they were
 * issued, across threads. <b>Timeouts.</b> A blocking call that makes no progress for the
 * {@linkplain #setSocketTimeoutInterval socket timeout interval} throws
 * {@link java.net.SocketTimeoutException}; a callback operation gets
 * {@link SocketListener#socketTimeout}. <b>Misuse</b> (null, bad names, unknown sockets, secure
 * twice) throws {@link IllegalArgumentException} or {@link IllegalStateException} naming the value.
 *
 * <p><b>Abandoned calls.</b> A blocking call ended early (interrupted, or stopped by JShell's
 * Ctrl-C) leaves nothing behind: its read is taken back, a write that may be half sent closes the
 * socket, an open or accept closes what it began. Only a {@code secure} asked for stands.
 */
public final class SocketRegistry extends RegistryNetworkVerbs implements AutoCloseable {

  /** A registry with its own I/O thread. Example: {@code var sockets = new SocketRegistry();} */
  public SocketRegistry() {}

  // ---- open -------------------------------------------------------------------------------

  /**
   * Connects and returns when connected. Example: {@code sockets.open("localhost:2525");}
   *
   * @throws java.net.ConnectException {@code can't connect to host: ...}
   * @throws UnknownHostException {@code can't resolve hostname: ...}
   * @throws java.net.SocketTimeoutException if the peer does not answer in time
   */
  public void open(String socket) throws IOException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    var opening = core.open(socket, null, false, true, null, done);
    Waits.await(done, () -> core.abandon(opening)); // the call threw: nothing is left open
  }

  /**
   * Starts connecting and returns at once; {@code listener} gets {@code connected}, or
   * {@code socketError}/{@code socketTimeout}. Example: {@code sockets.open("h:25|2", listener);}
   */
  public void open(String socket, SocketListener listener) {
    Args.notNull(listener, "listener");
    Args.unchecked(() -> core.open(socket, listener, false, true, null, null));
  }

  /**
   * Connects and runs a TLS handshake before returning (TLS from the first byte). Example: {@code sockets.openSecure("example.org:443", true, null);}
   *
   * @param verification check the chain and the name (pass {@code true} unless testing; {@code false} is refused with {@link #setSslContext})
   * @param verificationHost the name the certificate must carry, sent as SNI ({@code "mail.example.com."} = without the dot); null = the socket's host
   * @throws javax.net.ssl.SSLHandshakeException with the reason, if the handshake fails
   * @throws IllegalArgumentException if verificationHost is blank ({@link IllegalStateException}: false verification with a context)
   */
  public void openSecure(String socket, boolean verification, String verificationHost)
      throws IOException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    var opening = core.open(socket, null, true, verification, verificationHost, done);
    Waits.await(done, () -> core.abandon(opening));
  }

  /** As {@link #openSecure(String, boolean, String)}, returning at once; {@code connected} and {@code secured} follow the handshake. Example: {@code sockets.openSecure("h:443", true, null, l);} */
  public void openSecure(String socket, boolean verification, String verificationHost,
      SocketListener listener) {
    Args.notNull(listener, "listener");
    Args.unchecked(() -> core.open(socket, listener, true, verification, verificationHost, null));
  }

  /**
   * As {@link #openSecure(String, boolean, String)} with these TLS options instead of the
   * registry's (sessions are shared with the registry's sockets only where the roots and
   * identities are the same). Example: {@code sockets.openSecure("h:443", true, null, TlsOptions.NO_RESUMPTION);}
   */
  public void openSecure(String socket, boolean verification, String verificationHost, TlsOptions options)
      throws IOException {
    Args.notNull(options, "options");
    CompletableFuture<Void> done = new CompletableFuture<>();
    var opening = core.open(socket, null, null, true, verification, verificationHost, options, null, done);
    Waits.await(done, () -> core.abandon(opening));
  }

  /**
   * Connects and handshakes offering the session of the secure client socket {@code sessionOf}
   * (FTPS data connections: servers such as vsftpd demand it), verifying as that socket did, with
   * its TLS options (a socket made with resumption off has no session to offer). If the server
   * declines, a full handshake follows, checked as the other socket's was.
   * Example: {@code sockets.openSecureResuming("ftp.example.org:50001|data", "ftp.example.org:21");}
   *
   * @throws IllegalStateException if {@code sessionOf} is not a client socket whose handshake has finished
   * @throws IOException why {@code sessionOf} ended, if the network ended it (as any verb on its name)
   */
  public void openSecureResuming(String socket, String sessionOf) throws IOException {
    Args.notNull(sessionOf, "sessionOf");
    CompletableFuture<Void> done = new CompletableFuture<>();
    var opening = core.open(socket, null, null, true, true, null, null, sessionOf, done);
    Waits.await(done, () -> core.abandon(opening));
  }

  // ---- write ------------------------------------------------------------------------------

  /** Writes text in the socket's charset; returns when it is handed to the OS. Example: {@code sockets.write(s, "EHLO me\r\n");} */
  public void write(String socket, String data) throws IOException {
    byte[] bytes = Args.notNull(data, "data").getBytes(core.charsetForIo(Args.notNull(socket, "socket")));
    write(socket, bytes, 0, bytes.length);
  }

  /**
   * Writes bytes; returns when they are handed to the OS. The array is not copied, so it must
   * not change until this returns. Example: {@code sockets.write(s, new byte[] {1, 2});}
   */
  public void write(String socket, byte[] data) throws IOException {
    write(socket, Args.notNull(data, "data"), 0, data.length);
  }

  /**
   * Writes {@code length} bytes of {@code data} from {@code offset}; returns when they are handed
   * to the OS, copying nothing. Example: {@code sockets.write(s, buffer, 0, n);}
   */
  public void write(String socket, byte[] data, int offset, int length) throws IOException {
    Args.range(data, offset, length);
    CompletableFuture<Void> done = new CompletableFuture<>();
    WriteRequest request = WriteRequest.blocking(data, offset, length, done);
    core.write(socket, request);
    Waits.awaitAnswer(done, () -> core.interrupted(request)); // abandoned: fails, and closes the socket
  }

  /**
   * Queues text and returns; {@code callback} (may be null) runs when it is written. Waits only
   * while the socket's write queue is over its limit. Example: {@code sockets.write(s, "QUIT\r\n", x -> {});}
   */
  public void write(String socket, String data, WriteCallback callback) {
    byte[] bytes = bytes(socket, data);
    Args.unchecked(() -> core.write(socket, WriteRequest.callback(bytes, callback)));
  }

  /** Queues bytes and returns; {@code callback} (may be null) runs when written. Example: {@code sockets.write(s, bytes, null);} */
  public void write(String socket, byte[] data, WriteCallback callback) {
    Args.notNull(data, "data");
    Args.unchecked(() -> core.writeCopy(socket, data, callback)); // copied: the caller may reuse its array
  }

  // ---- read -------------------------------------------------------------------------------

  /**
   * Waits for a chunk and returns it as text. Example: {@code sockets.read(s, Chunk.until("\r\n"))}
   *
   * @throws SocketEofException if the peer closed first (with what did arrive)
   * @throws SocketTruncatedException if a TLS peer closed without close_notify where this read needed the end
   */
  public String read(String socket, Chunk chunk) throws IOException {
    Charset charset = core.charsetForIo(Args.notNull(socket, "socket"));
    return new String(read(socket, chunk, charset), charset);
  }

  /** Waits for a chunk and returns its bytes. Example: {@code byte[] b = sockets.readBytes(s, Chunk.bytes(4));} */
  public byte[] readBytes(String socket, Chunk chunk) throws IOException {
    return read(socket, chunk, core.charsetForIo(Args.notNull(socket, "socket")));
  }

  /**
   * Waits for at least one byte, then copies up to {@code length} bytes into {@code into} from
   * {@code offset} and returns how many, or -1 once the peer has closed and nothing is left. Like
   * {@link java.io.InputStream#read(byte[], int, int)}, and allocates nothing: for bulk data.
   * Example: {@code for (int n; (n = sockets.readBytes(s, buf, 0, buf.length)) > 0; ) out.write(buf, 0, n);}
   */
  public int readBytes(String socket, byte[] into, int offset, int length) throws IOException {
    Args.range(into, offset, length);
    if (length == 0) {
      return 0;
    }
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    ReadRequest request = ReadRequest.into(into, offset, length, result);
    try {
      await(Args.notNull(socket, "socket"), request, result);
    } catch (SocketEofException e) {
      return -1; // an up-to chunk takes anything buffered, so nothing was left
    }
    return request.taken();
  }

  /**
   * The socket as an InputStream over {@link #readBytes(String, byte[], int, int)}; closing it
   * closes the socket, as with {@link java.net.Socket}. Example: {@code sockets.inputStream(s).transferTo(out);}
   */
  public java.io.InputStream inputStream(String socket) {
    core.charsetForIo(Args.notNull(socket, "socket")); // fails now unless open (or ended by the peer)
    return StreamViews.input(socket, this::readBytes, () -> close(socket));
  }

  /**
   * The socket as an OutputStream over {@link #write(String, byte[], int, int)} (nothing to flush);
   * closing it closes the socket. Example: {@code Files.copy(path, sockets.outputStream(s));}
   */
  public java.io.OutputStream outputStream(String socket) {
    core.charsetForIo(Args.notNull(socket, "socket"));
    return StreamViews.output(socket, this::write, () -> close(socket));
  }

  /** A blocking read; {@code charset} (the socket's, looked up once) decodes chars chunks. */
  private byte[] read(String socket, Chunk chunk, Charset charset) throws IOException {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    return await(socket, ReadRequest.blocking(Args.notNull(chunk, "chunk"), charset, result), result);
  }

  private byte[] await(String socket, ReadRequest request, CompletableFuture<byte[]> result)
      throws IOException {
    // Queued without waking the loop: nudge it after the timeout. Abandoned: take the read back.
    long nudgeAfter = core.read(socket, request) ? core.settings.timeout().toNanos() : Long.MAX_VALUE;
    return Waits.await(result, nudgeAfter, core::nudge, () -> core.withdraw(request));
  }

  /**
   * Queues a read and returns; {@code callback} gets the chunk.
   * Example: {@code sockets.read(s, Chunk.lines(1), (socket, line) -> System.out.print(line));}
   */
  public void read(String socket, Chunk chunk, ReadCallback callback) {
    Args.notNull(callback, "callback");
    Charset charset = core.charset(Args.notNull(socket, "socket"));
    Args.unchecked(() -> core.read(socket, ReadRequest.callback(Args.notNull(chunk, "chunk"), charset, callback)));
  }

  // ---- secure -----------------------------------------------------------------------------

  /** {@code secure(socket, true, null)}: verify the peer against the socket's own host. Example: {@code sockets.secure(s);} */
  public void secure(String socket) throws IOException {
    secure(socket, true, null);
  }

  /**
   * Upgrades the open plaintext socket to TLS in place (STARTTLS); returns once the upgrade is set
   * up, without waiting for the handshake. Writes queued before this call go out in plaintext;
   * every later write is encrypted; every byte not yet read, and all that follow, are TLS input.
   * Failure is a {@code socketError} to the socket's listener, and waiting calls throw it. An
   * accepted socket is secured as the TLS server ({@linkplain #setServerIdentity identity}). Example: {@code sockets.secure("localhost:2525", true, "mail.example.com");}
   *
   * @throws IllegalArgumentException if verificationHost is blank (the arguments are as for {@link #openSecure(String, boolean, String)})
   * @throws IllegalStateException if the socket is already secure, mid-upgrade, closed or a listener, or the TLS settings refuse it
   */
  public void secure(String socket, boolean verification, String verificationHost) throws IOException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    core.secure(Args.notNull(socket, "socket"), verification, verificationHost, done);
    Waits.awaitAnswer(done, () -> { }); // asked for, the upgrade stands: wait for it to be set up
  }

  /** As {@link #secure(String, boolean, String)} with these TLS options instead of the registry's. Example: {@code sockets.secure(s, true, null, options);} */
  public void secure(String socket, boolean verification, String verificationHost, TlsOptions options)
      throws IOException {
    Args.notNull(options, "options");
    CompletableFuture<Void> done = new CompletableFuture<>();
    core.secure(Args.notNull(socket, "socket"), verification, verificationHost, options, null, done);
    Waits.awaitAnswer(done, () -> { });
  }

  /**
   * As {@link #secure(String)}, offering the session of the secure client socket {@code sessionOf}
   * and verifying as it did: an FTPS data connection resuming the control connection's session.
   * Example: {@code sockets.secureResuming(data, control);}
   */
  public void secureResuming(String socket, String sessionOf) throws IOException {
    Args.notNull(sessionOf, "sessionOf");
    CompletableFuture<Void> done = new CompletableFuture<>();
    core.secure(Args.notNull(socket, "socket"), true, null, null, sessionOf, done);
    Waits.awaitAnswer(done, () -> { });
  }

  /**
   * The socket's TLS details, waiting for a handshake in progress.
   * Example: {@code sockets.tlsInfo(s).protocol()}
   *
   * @throws IllegalStateException if the socket was never secured
   * @throws javax.net.ssl.SSLHandshakeException if the handshake failed
   */
  public TlsInfo tlsInfo(String socket) throws IOException {
    return Waits.await(core.tlsInfo(Args.notNull(socket, "socket")));
  }

  // ---- close, accept, introspection ------------------------------------------------------

  /** Closes a socket or listener: unread data is discarded, queued writes are flushed. Example: {@code sockets.close(s);} */
  public void close(String socket) {
    core.close(Args.notNull(socket, "socket"));
  }

  /** Listens on {@code port} (0 = a free one); returns the listener's name, its real port. Example: {@code String port = sockets.accept(0, l);} */
  public String accept(int port, SocketListener listener) throws IOException {
    return accept(port, listener, false);
  }

  /**
   * Listens; with {@code secure}, every connection runs a TLS server handshake before
   * {@code newConnection}. Example: {@code sockets.accept(0, listener, true);}
   */
  public String accept(int port, SocketListener listener, boolean secure) throws IOException {
    return core.accept(null, port, Args.notNull(listener, "listener"), secure, null);
  }

  /**
   * A secure listener whose connections use {@code options} instead of the registry's (its own
   * identity or ALPN list, say). Example: {@code sockets.accept(0, listener, TlsOptions.builder().serverIdentity(chain, key).applicationProtocols("h2").build());}
   */
  public String accept(int port, SocketListener listener, TlsOptions options) throws IOException {
    return core.accept(null, port, Args.notNull(listener, "listener"), true, Args.notNull(options, "options"));
  }

  /** The open sockets and listeners, in creation order. Example: {@code sockets.openSockets()} */
  public List<String> openSockets() {
    return core.names();
  }

  /** This end's {@code "ip:port"}. Example: {@code sockets.hostAddress(s)} gives {@code "127.0.0.1:51234"}. */
  public String hostAddress(String socket) {
    return SocketName.format(core.localAddress(Args.notNull(socket, "socket")));
  }

  /** The peer's {@code "ip:port"}. Example: {@code sockets.peerAddress(s)} gives {@code "127.0.0.1:2525"}. */
  public String peerAddress(String socket) {
    return SocketName.format(core.remoteAddress(Args.notNull(socket, "socket")));
  }

  /** The addresses of a host name. Example: {@code sockets.hostNameToAddress("localhost")} */
  public List<String> hostNameToAddress(String hostName) throws UnknownHostException {
    return HostLookup.allAddresses(Args.notNull(hostName, "hostName"));
  }

  /** Closes every socket and listener and stops the I/O thread. Example: {@code try (var sockets = new SocketRegistry()) { ... }} */
  @Override
  public void close() {
    core.close();
  }

  /**
   * The open sockets and listeners, as JShell shows the registry.
   * Example: {@code SocketRegistry[localhost:2525, 8080]}, or {@code SocketRegistry[closed]}.
   */
  @Override
  public String toString() {
    return "SocketRegistry" + (core.isClosed() ? "[closed]" : core.names().toString());
  }

  private byte[] bytes(String socket, String data) {
    return Args.notNull(data, "data").getBytes(core.charset(Args.notNull(socket, "socket")));
  }
}
