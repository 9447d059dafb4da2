package org.sockscript;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sockscript.LoopbackPair.WAIT;

import java.net.UnknownHostException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** DESIGN §3: every verb in both forms and every chunk kind, registry against registry over loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoreVerbsTest {

  @Test
  void blockingOpenWriteReadClose() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      String peer = pair.accepted(name);
      pair.client.write(name, "ping\r\n");
      assertThat(pair.server.read(peer, Chunk.until("\r\n"))).isEqualTo("ping\r\n");
      pair.server.write(peer, "pong\r\n".getBytes(UTF_8));
      assertThat(pair.client.read(name, Chunk.until("\r\n"))).isEqualTo("pong\r\n");
      pair.client.close(name);
      assertThat(pair.client.openSockets()).isEmpty();
      pair.serverEvents.awaitEvent("socketClosed " + peer, WAIT);
    }
  }

  @Test
  void callbackOpenWriteAndReadReportThroughTheListener() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      RecordingListener events = new RecordingListener();
      String name = pair.name("");
      pair.client.open(name, events);
      events.awaitEvent("connected " + name, WAIT);
      pair.client.write(name, "hi\n", events.writeRecorder());
      events.awaitEvent("written " + name, WAIT);
      String peer = pair.accepted(name);
      assertThat(pair.server.read(peer, Chunk.lines(1))).isEqualTo("hi\n");
      pair.client.read(name, Chunk.lines(1), events.readRecorder());
      pair.server.write(peer, "yo\n");
      events.awaitEvent("read " + name, WAIT);
      assertThat(events.events())
          .containsExactly("connected " + name, "written " + name, "read " + name + ": yo\n");
    }
  }

  @Test
  void readUntilIncludesTheDelimiter() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      String peer = pair.accepted(name);
      pair.server.write(peer, "a;b;;c");
      assertThat(pair.client.read(name, Chunk.until(";"))).isEqualTo("a;");
      assertThat(pair.client.read(name, Chunk.until(";;"))).isEqualTo("b;;");
      RecordingListener reads = new RecordingListener();
      pair.client.read(name, Chunk.until("\r\n"), reads.readRecorder());  // "\r\n" split over two writes
      pair.server.write(peer, "d\r");
      Thread.sleep(50);
      pair.server.write(peer, "\nnext\r\n");
      assertThat(pair.client.read(name, Chunk.until("\r\n"))).isEqualTo("next\r\n");
      reads.awaitEvent("read ", WAIT);
      assertThat(reads.events()).containsExactly("read " + name + ": cd\r\n");
    }
  }

  @Test
  void readBytesReturnsExactlyNRawBytes() throws Exception {
    byte[] raw = {0, (byte) 0xff, (byte) 0xc3, '\n', '\r', 7};
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      pair.server.write(pair.accepted(name), raw);
      assertThat(pair.client.readBytes(name, Chunk.bytes(4))).containsExactly(0, 0xff, 0xc3, '\n');
      assertThat(pair.client.readBytes(name, Chunk.bytes(2))).containsExactly('\r', 7);
    }
  }

  @Test
  void readCharsNeverSplitsAMultiByteCharacterArrivingByteByByte() throws Exception {
    byte[] text = "é€😀!".getBytes(UTF_8);  // 2 + 3 + 4 + 1 bytes
    try (LoopbackPair pair = LoopbackPair.listening()) {
      RecordingListener reads = new RecordingListener();
      String name = pair.connect("");
      String peer = pair.accepted(name);
      pair.client.read(name, Chunk.chars(1), reads.readRecorder());
      pair.client.read(name, Chunk.chars(1), reads.readRecorder());
      pair.client.read(name, Chunk.chars(2), reads.readRecorder());  // one surrogate pair
      pair.client.read(name, Chunk.chars(1), reads.readRecorder());
      for (byte b : text) {
        pair.server.write(peer, new byte[] {b});
        Thread.sleep(15);
      }
      reads.awaitEvents("read ", 4, WAIT);
      assertThat(reads.events()).containsExactly(
          "read " + name + ": é", "read " + name + ": €", "read " + name + ": 😀", "read " + name + ": !");
    }
  }

  @Test
  void readLinesItemsAndWordsTakeNOfThem() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      pair.server.write(pair.accepted(name), "one\ntwo\nthree\na,b,c,d,hello big\tworld\n");
      assertThat(pair.client.read(name, Chunk.lines(2))).isEqualTo("one\ntwo\n");
      assertThat(pair.client.read(name, Chunk.lines(1))).isEqualTo("three\n");
      assertThat(pair.client.read(name, Chunk.items(3))).isEqualTo("a,b,c,");
      assertThat(pair.client.read(name, Chunk.items(1))).isEqualTo("d,");
      assertThat(pair.client.read(name, Chunk.words(2))).isEqualTo("hello big\t");
      assertThat(pair.client.read(name, Chunk.words(1))).isEqualTo("world\n");
    }
  }

  @Test
  void readAvailableReturnsWhatIsBufferedOrNothing() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      String peer = pair.accepted(name);
      assertThat(pair.client.read(name, Chunk.available())).isEmpty();
      pair.server.write(peer, "abc\nxyz");  // one segment: "xyz" is buffered once "abc\n" is read
      assertThat(pair.client.read(name, Chunk.until("\n"))).isEqualTo("abc\n");
      assertThat(pair.client.read(name, Chunk.available())).isEqualTo("xyz");
      assertThat(pair.client.read(name, Chunk.available())).isEmpty();
    }
  }

  @Test
  void readUntilEndReturnsEverythingOnceThePeerCloses() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      String peer = pair.accepted(name);
      pair.server.write(peer, "part one, ");
      pair.server.write(peer, "part two");
      pair.server.close(peer);
      assertThat(pair.client.read(name, Chunk.untilEnd())).isEqualTo("part one, part two");
    }
  }

  @Test
  void openSocketsAndAddressesDescribeBothEnds() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String first = pair.connect("");
      String second = pair.connect("|2");
      String peer = pair.accepted(first);
      pair.accepted(second); // both accepted before the server's list is read
      assertThat(pair.client.openSockets()).containsExactly(first, second);
      assertThat(pair.client.peerAddress(first)).isEqualTo("127.0.0.1:" + pair.listener);
      assertThat(pair.server.peerAddress(peer)).isEqualTo(pair.client.hostAddress(first));
      assertThat(pair.server.hostAddress(peer)).isEqualTo("127.0.0.1:" + pair.listener);
      assertThat(pair.server.openSockets()).startsWith(pair.listener, peer).hasSize(3);
    }
  }

  @Test
  void hostNameToAddressResolvesLocalhostToLoopback() throws Exception {
    try (SocketRegistry sockets = new SocketRegistry()) {
      assertThat(sockets.hostNameToAddress("localhost"))
          .containsAnyOf("127.0.0.1", "::1", "0:0:0:0:0:0:0:1");
      assertThat(sockets.hostNameToAddress("127.0.0.1")).containsExactly("127.0.0.1");
      assertThatThrownBy(() -> sockets.hostNameToAddress("no-such-host.invalid"))
          .isInstanceOf(UnknownHostException.class)
          .hasMessage("can't resolve hostname: no-such-host.invalid");
    }
  }

  @Test
  void closeFlushesQueuedWritesBeforeClosing() throws Exception {
    byte[] mebibyte = new byte[1 << 20];
    new Random(42).nextBytes(mebibyte);
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      String peer = pair.accepted(name);
      pair.client.write(name, mebibyte, null);
      pair.client.close(name);
      assertThat(pair.client.openSockets()).isEmpty();
      assertThat(pair.server.readBytes(peer, Chunk.bytes(mebibyte.length))).isEqualTo(mebibyte);
      pair.serverEvents.awaitEvent("socketClosed " + peer, WAIT);  // and then the client hung up
    }
  }

  @Test
  void closeDiscardsUnreadData() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      String name = pair.connect("");
      pair.server.write(pair.accepted(name), "first\nunread\n");
      assertThat(pair.client.read(name, Chunk.lines(1))).isEqualTo("first\n");
      pair.client.close(name);
      assertThatThrownBy(() -> pair.client.read(name, Chunk.available()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("socket is not open: \"" + name + "\"");
      pair.client.open(name);  // same name, new connection: nothing of the old one is left
      assertThat(pair.client.read(name, Chunk.available())).isEmpty();
      pair.server.write(pair.accepted(name), "fresh\n");
      assertThat(pair.client.read(name, Chunk.lines(1))).isEqualTo("fresh\n");
    }
  }
}
