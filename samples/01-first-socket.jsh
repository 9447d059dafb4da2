// 01 - Your first socket: open, write, read (until / bytes / lines / available / into an array), close.
// Run it with:  ./sockscript samples/01-first-socket.jsh
//
// The script starts its own little server on a free loopback port, so it needs no network.
// The server answers every line with "you said: <line>".

String port = sockets.accept(0, new SocketListener() {
  public void newConnection(String socket, String listener) {
    try {
      sockets.write(socket, "hello from the server\r\n");
      while (true) {
        String line = sockets.read(socket, Chunk.until("\r\n"));
        sockets.write(socket, "you said: " + line);
      }
    } catch (Exception e) {
      // The client hung up: the read throws eof. Its FIN ended its data, not the connection (we
      // could still write to it: half-close), so the server closes its end too.
      sockets.close(socket);
    }
  }
});
System.out.println("A server listens on port " + port + "; openSockets() = " + sockets.openSockets());

// Open blocks until connected. The socket's name is just "host:port".
String s = "127.0.0.1:" + port;
sockets.open(s);
System.out.println("Connected from " + sockets.hostAddress(s) + " to " + sockets.peerAddress(s));

// read ... until: the chunk includes the delimiter.
System.out.print("The server greets us: " + sockets.read(s, Chunk.until("\r\n")));

// write, then read the answer line by line.
sockets.write(s, "first line\r\n");
System.out.print("Reply: " + sockets.read(s, Chunk.lines(1)));

// read for N bytes: exactly that many, whatever the line structure.
sockets.write(s, "abc\r\n");
byte[] ten = sockets.readBytes(s, Chunk.bytes(10));
System.out.println("Ten bytes: " + Arrays.toString(ten) + " = \"" + new String(ten, StandardCharsets.UTF_8) + "\"");
System.out.print("The rest of that line: " + sockets.read(s, Chunk.until("\r\n")));

// available: whatever is buffered right now, possibly nothing.
System.out.println("Available now: \"" + sockets.read(s, Chunk.available()) + "\" (nothing yet)");
sockets.write(s, "one\r\n");
sockets.write(s, "two\r\n");
System.out.print("Two lines at once:\n" + sockets.read(s, Chunk.lines(2)));

// Bulk data: read into your own array (at least 1 byte, at most its length; nothing allocated)...
sockets.write(s, "bulk data\r\n");
byte[] buffer = new byte[8];
int n = sockets.readBytes(s, buffer, 0, buffer.length);
System.out.println("readBytes into an 8-byte array: " + n + " byte(s), \"" + new String(buffer, 0, n, StandardCharsets.UTF_8) + "\"");
System.out.print("The rest of that line: " + sockets.read(s, Chunk.until("\r\n")));
// ... or use the socket as java.io streams (closing either one closes the socket).
sockets.outputStream(s).write("streamed\r\n".getBytes(StandardCharsets.UTF_8));
byte[] reply = sockets.inputStream(s).readNBytes(20); // "you said: streamed\r\n"
System.out.println("Through the streams: \"" + new String(reply, StandardCharsets.UTF_8).strip() + "\"");

// Names are whole strings: "|label" opens a second socket to the same host and port.
sockets.open(s + "|second");
System.out.println("Open sockets (creation order, the listener included): " + sockets.openSockets());

// close: queued writes are flushed, unread data is discarded.
sockets.close(s + "|second");
sockets.close(s);
sockets.close(port);
// The server's ends close as soon as its handlers have read our end of data.
for (int i = 0; i < 100 && !sockets.openSockets().isEmpty(); i++) Thread.sleep(20);
System.out.println("After closing: " + sockets.openSockets());
sockets.close();
System.out.println("done: open, write, read until / bytes / lines / available, read into an array, streams, openSockets, close");
/exit
