package org.sockscript.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sockscript.SocketListener;
import org.sockscript.TlsInfo;
import org.sockscript.internal.datagram.DatagramEndpoint;
import org.sockscript.internal.tls.TlsConfig;

/**
 * The engine room behind {@code SocketRegistry}: the loop, the names, the callback threads and
 * the TLS settings. Every verb ends here as a task for the loop; this class checks misuse on the
 * caller's thread first, so a bad call fails before any I/O.
 */
public final class SocketCore implements AutoCloseable {

  private static final AtomicInteger REGISTRIES = new AtomicInteger();

  public final Settings settings = new Settings();
  public final TlsConfig tls = new TlsConfig();
  final EventLoop loop;
  private final ThreadPoolExecutor callbacks;
  private final Map<Object, SerialExecutor> listenerExecutors = new IdentityHashMap<>();
  /** The names, and the tombstones of those the network ended. */
  final SocketTable table = new SocketTable();
  /** The datagram verbs; their sockets are in {@link #table} too. */
  public final Datagrams datagrams = new Datagrams(this);
  public final org.sockscript.internal.trace.TraceSwitch trace = new org.sockscript.internal.trace.TraceSwitch(); // every socket's
  /** Every connection holding a channel, named or not (loop thread only): what shutdown closes. */
  final java.util.Set<Connection> live = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  private final TlsStages stages = new TlsStages(this, tls, new TlsScratch(false));
  /** Scratch buffers for script threads that read or write a TLS socket themselves ({@link CallerTls}). */
  final TlsScratch.Pool scratchPool = new TlsScratch.Pool();
  /** Inbound segments recycled between this registry's sockets: up to 4 MiB kept idle. */
  final SegmentPool segments = new SegmentPool(4 * 1024 * 1024);
  /** Direct buffers for the copies queued byte[] writes make. */
  final DirectBufferPool writeBuffers = new DirectBufferPool();

  public SocketCore() {
    int id = REGISTRIES.incrementAndGet();
    loop = new EventLoop("sockscript-io-" + id);
    AtomicInteger threads = new AtomicInteger();
    callbacks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
        new java.util.concurrent.SynchronousQueue<>(), r -> {
          Thread t = new Thread(r, "sockscript-callbacks-" + id + "-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  // ---- names ------------------------------------------------------------------------------

  /** The names of the open sockets and listeners, in the order they were made. */
  public List<String> names() {
    return table.names();
  }

  /** True once the registry is closed. */
  public boolean isClosed() {
    return table.isClosed();
  }

  Connection connection(String name) {
    return table.connection(name);
  }

  private Connection connectionForIo(String name) {
    return table.connectionForIo(name);
  }

  private Connection liveConnection(String name) throws IOException {
    return table.liveConnection(name);
  }

  /** Where a socket's events go: {@code listener}, or, for none, the registry's default listener. */
  EventSink sink(SocketListener listener) {
    SocketListener to = listener != null ? listener : settings.defaultListener;
    return new EventSink(to, listenerExecutor(to));
  }

  /** Runs a listener's calls: its turn on the pool, or the loop (IO_THREAD); null: a turn of its own. */
  public synchronized java.util.concurrent.Executor listenerExecutor(Object listener) {
    if (settings.listenerThreads == org.sockscript.ListenerThreads.IO_THREAD) {
      return this::onLoop;
    }
    return listener == null ? new SerialExecutor(callbacks)
        : listenerExecutors.computeIfAbsent(listener, l -> new SerialExecutor(callbacks));
  }

  /** Runs listener calls on the loop, after what it is doing (outside every lock); logs a throw. */
  private void onLoop(Runnable task) {
    loop.executeIfOpen(() -> { // (an event of a registry that has closed goes nowhere)
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        ListenerFailures.report(e);
      }
    });
  }

  /** Sets the socket timeout; sockets already waiting switch to it (a shorter one fires sooner). */
  public void timeout(java.time.Duration interval) {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("socketTimeoutInterval must be positive, was " + interval);
    }
    settings.timeout(interval);
    loop.execute(() -> new ArrayList<>(live).forEach(c -> c.clock.arm()));
  }

  // ---- verbs ------------------------------------------------------------------------------

  /**
   * Opens {@code name}; {@code waiter} is completed when it is usable (null: tell the listener);
   * with {@code secure}, after a TLS client handshake. Returns the new socket, for {@link #abandon}.
   */
  public Endpoint open(String name, SocketListener listener, boolean secure, boolean verify,
      String verificationHost, CompletableFuture<Void> waiter) throws IOException {
    return open(name, null, listener, secure, verify, verificationHost, null, null, waiter);
  }

  /**
   * As above, bound to {@code from} (null: the registry's default network interface, if set), with
   * a call's TLS options (null: the registry's) or the name of a socket whose session to resume.
   */
  public Endpoint open(String name, InetSocketAddress from, SocketListener listener, boolean secure,
      boolean verify, String verificationHost, org.sockscript.TlsOptions call, String resumeOf,
      CompletableFuture<Void> waiter) throws IOException {
    if (waiter != null) {
      EventLoop.refuseWaitOnLoop((secure ? "openSecure(\"" : "open(\"") + name + "\")");
    }
    SocketName parsed = SocketName.parse(name);
    TlsStage stage = secure ? stages.client(parsed, verify, verificationHost, call, resumeOf) : null;
    Connection[] holder = new Connection[1];
    Runnable start = () -> {
      Connection c = holder[0];
      InetSocketAddress address;
      try {
        address = new InetSocketAddress(HostLookup.resolve(parsed.host()), parsed.port());
      } catch (UnknownHostException e) {
        c.opening = Opening.connect(InetSocketAddress.createUnresolved(parsed.host(), parsed.port()),
            waiter, settings.timeoutMillis());
        loop.execute(() -> c.fail(e)); // on the loop, so calls already queued fail with it too
        return;
      }
      c.opening = Opening.connect(address, waiter, settings.timeoutMillis());
      loop.execute(() -> c.connect(address));
    };
    Connection c = new Connection(this, name, parsed, sink(waiter != null ? null : listener), null);
    c.channel.bindTo(from != null ? from : settings.defaultInterface == null ? null
        : new InetSocketAddress(settings.defaultInterface, 0));
    if (stage != null) {
      c.secureFromTheStart(stage);
    }
    holder[0] = c;
    if (!table.register(c)) {
      throw new IllegalStateException("socket is already open: \"" + name + "\"");
    }
    if (waiter != null || HostLookup.isIpLiteral(parsed.host())) {
      try {
        start.run(); // a script waits anyway, or there is no name to look up: no thread hop
      } catch (RuntimeException | Error stopped) { // JShell's stop in a slow name lookup, say
        abandon(c);
        throw stopped;
      }
    } else {
      callbacks.execute(() -> { // never resolve names on the loop
        try {
          start.run();
        } catch (IllegalStateException e) {
          if (!table.isClosed()) {
            throw e;
          } // else the registry closed during the lookup, and closed this socket with it
        }
      });
    }
    return c;
  }

  public void write(String name, WriteRequest request) throws IOException {
    if (request.isBlocking()) {
      EventLoop.refuseWaitOnLoop("write(\"" + name + "\", data)");
    }
    Endpoint e = request.isBlocking() ? table.endpointForIo(name) : table.liveEndpoint(name);
    if (e instanceof DatagramEndpoint) {
      datagrams.write((DatagramEndpoint) e, request);
      return;
    }
    write(SocketTable.asConnection(e), request);
  }

  private void write(Connection c, WriteRequest request) throws IOException {
    request.on = c;
    java.util.function.Consumer<WriteRequest> queue = w -> loop.execute(() -> c.enqueueWrite(w));
    if (c.writes.writeDirect(c, request, queue)) {
      return; // a plain socket with nothing queued: written on this thread
    }
    try {
      c.writes.budget.reserve(c.name, request.size, settings.writeQueueLimit, settings.timeoutNanos);
      request.reserved = true;
      c.writes.queueCounted(request, queue);
    } catch (IOException | RuntimeException e) {
      request.abandon(); // never queued: a pooled copy goes back
      throw e;
    }
  }

  /** A callback write of a copy of {@code data}, which the caller may reuse at once. */
  public void writeCopy(String name, byte[] data, org.sockscript.WriteCallback callback) throws IOException {
    Endpoint e = table.liveEndpoint(name); // before copying: a bad name must not cost a pooled buffer
    if (e instanceof DatagramEndpoint) {
      datagrams.write((DatagramEndpoint) e, WriteRequest.callback(data, callback)); // sent now: no copy
      return;
    }
    write(SocketTable.asConnection(e), WriteRequest.callbackCopy(data, callback, writeBuffers));
  }

  /**
   * Queues {@code request}. Returns true if a blocking read was queued without waking the loop
   * (see {@link ReadQueue#takeNowOrCount}): its caller must then wait
   * with {@link Waits#await(CompletableFuture, long, Runnable)}, nudging the loop after the socket
   * timeout so that the timeout can fire even if no byte ever comes.
   */
  public boolean read(String name, ReadRequest request) throws IOException {
    if (request.isBlocking()) {
      EventLoop.refuseWaitOnLoop("read(\"" + name + "\", " + request.chunk() + ")");
    }
    Connection c = request.isBlocking() ? connectionForIo(name) : liveConnection(name);
    request.on = c;
    // A blocking read of data already here needs no trip through the loop, nor one that will be
    // served when data comes. (Callback reads always go through it, so their data stays in order
    // with the socket's events.)
    boolean direct = request.isBlocking() && c.state == Connection.State.OPEN && !c.upgradeRequested;
    boolean queueable = direct && (c.tls == null ? c.upgrade == null : CallerTls.steady(c));
    byte[] now = c.reads.takeNowOrCount(request, direct, c, queueable,
        Math.min(settings.inboundLimit, ReadQueue.READ_AHEAD));
    boolean owed = c.loopOwed; // this thread's TLS step met what only the loop handles (CallerTls)
    if (owed) {
      c.loopOwed = false;
      loop.execute(c::serveReadsNow);
    }
    if (now == ReadQueue.QUEUED) {
      loop.executeLazily(() -> c.readQueuedByScript(request));
      return true;
    }
    if (now == null) {
      loop.execute(() -> c.enqueueRead(request));
      return false;
    }
    request.complete(c, now);
    if (request.loopShouldLook && !owed) {
      loop.execute(c::serveReadsNow); // the loop may owe a socketClosed, or reading was paused
    }
    return false;
  }

  /** An interrupted caller takes its blocking read back; false if it was answered meanwhile. */
  public boolean withdraw(ReadRequest request) {
    Connection c = request.on;
    return c != null && c.reads.withdraw(request, c);
  }

  /** An interrupted blocking write that has not finished fails the socket (its bytes may be half sent). */
  public void interrupted(WriteRequest request) {
    Connection c = request.on;
    if (c != null) {
      loop.execute(() -> request.failIfPending(c, Failures.interrupted(c.name), Failures.closedByInterruptedWrite(c.name)));
    }
  }

  /** Wakes the loop, so that it runs the tasks queued without a wake-up. */
  public void nudge() {
    loop.execute(() -> { });
  }

  /** The socket's charset, for decoding what a read returns (an ended socket's too: the verb then throws why). */
  public java.nio.charset.Charset charset(String name) {
    return charsetForIo(name);
  }

  /** The socket's charset for a blocking verb, which throws an ended socket's failure. */
  public java.nio.charset.Charset charsetForIo(String name) {
    Endpoint e = table.endpointForIo(name);
    return e instanceof DatagramEndpoint ? ((DatagramEndpoint) e).charset() : SocketTable.asConnection(e).charset;
  }

  public void charset(String name, java.nio.charset.Charset charset) {
    connectionForIo(name).charset = charset;
  }

  /** Sets up the upgrade of {@code name}; {@code done} completes once it is in place. */
  public void secure(String name, boolean verify, String verificationHost, CompletableFuture<Void> done)
      throws IOException {
    secure(name, verify, verificationHost, null, null, done);
  }

  /** As above, with a call's TLS options (null: the registry's), or the name of a socket whose session to resume. */
  public void secure(String name, boolean verify, String verificationHost, org.sockscript.TlsOptions call,
      String resumeOf, CompletableFuture<Void> done) throws IOException {
    Connection c = liveConnection(name); // ended by the peer or a failure: what ended it
    boolean server = c.target == null; // an accepted socket upgrades as the TLS server
    if (server && resumeOf != null) {
      throw new IllegalStateException("\"" + name + "\" is an accepted socket: a TLS server resumes the"
          + " sessions its clients offer, it cannot choose one (resumeOf was \"" + resumeOf + "\")");
    }
    TlsStage stage = server ? stages.server(call) : stages.client(c.target, verify, verificationHost, call, resumeOf);
    Upgrade.request(c);
    loop.executeOrRun(() -> { // (on the loop, a listener's call there: set up at once)
      String misuse = Upgrade.refusal(c);
      if (misuse != null) {
        c.reads.releaseWithheld(c); // (and clears the request)
        stage.free();
        boolean byNetwork = c.ended != null && !c.closeRequested; // ended meanwhile, not by the script
        done.completeExceptionally(byNetwork ? Tombstones.failureOf(c) : new IllegalStateException(misuse));
        c.serveReadsNow();
        c.flush(); // writes issued after the refused call waited for it: they go as if it never was
        return;
      }
      Upgrade.start(c, new Upgrade(stage)); // a failure now is the handshake's: socketError, later calls
      done.complete(null);
    });
  }

  /** The TLS details of {@code name}, waiting for a handshake in progress. */
  public CompletableFuture<TlsInfo> tlsInfo(String name) {
    Upgrade upgrade = connectionForIo(name).upgrade; // still answers after the peer closed
    if (upgrade == null) {
      throw new IllegalStateException("socket is not secure: \"" + name + "\" (call secure first)");
    }
    return upgrade.secured;
  }

  public void close(String name) {
    Endpoint e = table.closeByScript(name);
    if (e != null) {
      loop.execute(e::closeByScript);
    }
  }

  /** A blocking open or accept whose caller stopped waiting: its name is free at once, the loop closes it. */
  public void abandon(Endpoint e) {
    table.abandon(e);
    loop.executeIfOpen(e::closeByScript); // (a registry closed meanwhile closed it with the rest)
  }

  /**
   * Starts listening on {@code port} (0 = any free port) of {@code address} (null: the default
   * network interface, else every address); returns the listener's name. A secure listener's
   * connections use {@code options} (null: the registry's).
   */
  public String accept(java.net.InetAddress address, int port, SocketListener listener, boolean secure,
      org.sockscript.TlsOptions options) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("not a valid port: " + port + " (expected 0 to 65535)");
    }
    if (secure) {
      tls.checkServer("accept(" + port + ", listener, true)", options);
    }
    InetSocketAddress at = LocalAddresses.any(address != null ? address : settings.defaultInterface, port);
    return ListeningSocket.open(this, at, sink(listener), secure, options).name();
  }

  /** The trace hook of connection {@code name}. */
  public org.sockscript.internal.trace.WireTap tap(String name) {
    return connectionForIo(name).channel.tap;
  }

  public InetSocketAddress localAddress(String name) {
    return Datagrams.address(table, name, true); // (a datagram socket's too)
  }

  public InetSocketAddress remoteAddress(String name) {
    return Datagrams.address(table, name, false);
  }

  /** A secure listener's stage ({@code options} null: the registry's): settings refusing a server fail the connection, not the loop. */
  TlsStage serverStage(org.sockscript.TlsOptions options) {
    return stages.listening(options);
  }

  // ---- shutdown ---------------------------------------------------------------------------

  /** Closes every socket and listener (queued writes get up to 2 s), then the loop and the pool. */
  @Override
  public void close() {
    if (RegistryShutdown.run(this)) {
      callbacks.shutdown();
    }
  }
}
