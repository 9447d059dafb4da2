// 04 - Events: what a SocketListener hears, and when.
// Run it with:  ./sockscript samples/04-events.jsh
//
// One registry, `sockets`, holds both ends here: a listener made by accept (the server) and a
// socket opened with a listener (the client). Each end has a listener that prints every event it
// gets; the script waits for each event before going on, so you can read the story top to bottom.
// (JShell runs each top-level statement separately, so steps that belong together are in { } blocks.)

// ---- a listener that prints everything ----------------------------------------------------------
// Every SocketListener method is optional; this one overrides all six and prints each call.
// Calls to one listener come one at a time, in order, never on the I/O thread.
class Printer implements SocketListener {
  final String who;
  final BlockingQueue<String> seen = new LinkedBlockingQueue<>();
  Printer(String who) { this.who = who; }
  void event(String text) {
    System.out.println("  " + who + " event: " + text);
    seen.add(text);
  }
  public void connected(String socket) { event("connected(" + socket + ")"); }
  public void newConnection(String socket, String listener) { event("newConnection(" + socket + ", " + listener + ")"); }
  public void socketError(String socket, String reason) { event("socketError(" + socket + ", \"" + reason + "\")"); }
  public void socketClosed(String socket) { event("socketClosed(" + socket + ")"); }
  public void socketTimeout(String socket) { event("socketTimeout(" + socket + ")"); }
  public void secured(String socket, TlsInfo info) { event("secured(" + socket + ", " + info + ")"); }
  // Waits for the next event whose text starts with `prefix` (skipping others) and returns it.
  String await(String prefix) throws InterruptedException {
    for (String e; (e = seen.poll(10, TimeUnit.SECONDS)) != null; ) if (e.startsWith(prefix)) return e;
    throw new IllegalStateException(who + ": no " + prefix + " event within 10 s");
  }
}
var server = new Printer("server");
var client = new Printer("client");

// socketTimeoutInterval: how long a socket may make no progress before a timeout (default 10 s).
// Short here, so that step 3 does not keep you waiting.
sockets.setSocketTimeoutInterval(Duration.ofMillis(500));

// Callback reads print what they get, too.
var reads = new LinkedBlockingQueue<String>();
ReadCallback printRead = (socket, data) -> {
  System.out.println("  client read callback: \"" + data.replace("\r\n", "\\r\\n") + "\"");
  reads.add(data);
};
String nextRead() throws InterruptedException {
  String data = reads.poll(10, TimeUnit.SECONDS);
  if (data == null) throw new IllegalStateException("no read callback within 10 s");
  return data;
}

// ---- 1. accept and open: newConnection and connected -------------------------------------------
String port = sockets.accept(0, server);
String c = "localhost:" + port;
String accepted;
{
  System.out.println("1. accept(0, server) returned \"" + port + "\"; open(\"" + c + "\", client) returns at once, then:");
  sockets.open(c, client);
  client.await("connected");
  // The server's name for the connection is the client's address: "<ip>:<port>".
  accepted = server.await("newConnection").replaceAll("newConnection\\((.*), .*\\)", "$1");
  System.out.println("  the server knows the connection as \"" + accepted + "\"");
}

// ---- 2. callback reads ---------------------------------------------------------------------------
// read(socket, chunk, callback) queues a read and returns; reads are served in the order issued.
{
  System.out.println();
  System.out.println("2. The client queues two callback reads of one line each; the server then writes two lines:");
  sockets.read(c, Chunk.lines(1), printRead);
  sockets.read(c, Chunk.lines(1), printRead);
  sockets.write(accepted, "first line\r\nsecond line\r\n");
  nextRead();
  nextRead();
}

// ---- 3. socketTimeout ----------------------------------------------------------------------------
// A callback read that gets no data for socketTimeoutInterval produces a
// socketTimeout event. The read itself keeps waiting: data that comes later still reaches it.
{
  System.out.println();
  System.out.println("3. socketTimeoutInterval is " + sockets.socketTimeoutInterval().toMillis() + " ms; the client queues a read, the server stays silent:");
  long start = System.nanoTime();
  sockets.read(c, Chunk.until("\r\n"), printRead);
  client.await("socketTimeout");
  System.out.println("  (after " + (System.nanoTime() - start) / 1_000_000 + " ms) the read is still pending; now the server writes a line:");
  sockets.write(accepted, "late, but not lost\r\n");
  nextRead();
}

// ---- 4. socketClosed ------------------------------------------------------------------------------
// The peer writes two lines and hangs up. socketClosed waits until the script has read what was
// still buffered, so no data is lost to the event.
{
  System.out.println();
  System.out.println("4. The server writes two lines and closes its end:");
  sockets.write(accepted, "last words\r\nreally the last\r\n");
  sockets.close(accepted);
  Thread.sleep(300);
  System.out.println("  300 ms later: " + (client.seen.stream().anyMatch(e -> e.startsWith("socketClosed"))
      ? "socketClosed already came (unexpected!)" : "no socketClosed yet, because two lines are still unread"));
  System.out.println("  the client reads them (a callback read, which the listener's events follow in order):");
  sockets.read(c, Chunk.lines(2), printRead);
  nextRead();
  client.await("socketClosed");
  System.out.println("  openSockets() = " + sockets.openSockets() + ": the closed socket is gone, the listener stays");
}

// ---- 5. socketError -------------------------------------------------------------------------------
// Any failure reaches the listener once, as socketError with a reason. Here: a port nobody
// listens on (the script listened on it a moment ago, then closed the listener).
{
  System.out.println();
  String unused = sockets.accept(0, new SocketListener() {});
  sockets.close(unused);
  System.out.println("5. open(\"localhost:" + unused + "\", client), where nothing listens any more:");
  sockets.open("localhost:" + unused, client);
  client.await("socketError");
  sockets.close("localhost:" + unused);   // tidy the failed name (it remembers its reason until closed)
}

// ---- tidy up -----------------------------------------------------------------------------------------
{
  sockets.close(port);
  System.out.println();
  System.out.println("After closing the listener: openSockets() = " + sockets.openSockets());
  sockets.close();
  System.out.println("done: connected, newConnection, callback reads, socketTimeout, socketClosed and socketError");
}
/exit
