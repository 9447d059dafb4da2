package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.TestIdentity;
import org.sockscript.testing.TestPki;

/**
 * {@link ListenerThreads#IO_THREAD}: listener calls and callbacks run on the registry's I/O thread,
 * with no hop; a blocking verb there is refused with a clear message instead of a deadlock, and the
 * verbs a handler needs (callback reads and writes, {@code secure}) work.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoThreadListenersTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void callbacksRunOnTheIoThreadAndAnEchoServerWorks() throws Exception {
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      server.setListenerThreads(ListenerThreads.IO_THREAD);
      RecordingListener events = new RecordingListener() {
        @Override
        public void newConnection(String socket, String listener) {
          record("newConnection on " + Thread.currentThread().getName().replaceAll("-\\d+$", ""));
          echo(server, socket, this);
        }
      };
      String name = "127.0.0.1:" + server.accept(0, events);
      client.open(name);
      client.write(name, "one\n");
      assertThat(client.read(name, Chunk.until("\n"))).isEqualTo("one\n");
      client.write(name, "two\n");
      assertThat(client.read(name, Chunk.until("\n"))).isEqualTo("two\n");
      assertThat(events.events()).first().asString().startsWith("newConnection on sockscript-io");
      assertThat(events.events()).filteredOn(e -> e.startsWith("echoed on")).allMatch(e -> e.startsWith("echoed on sockscript-io"));
    }
  }

  @Test
  void aBlockingVerbInAnIoThreadCallIsRefusedNotADeadlock() throws Exception {
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      server.setListenerThreads(ListenerThreads.IO_THREAD);
      RecordingListener events = new RecordingListener() {
        @Override
        public void newConnection(String socket, String listener) {
          try {
            server.read(socket, Chunk.until("\n"));
            record("read returned");
          } catch (Exception e) {
            record("refused " + e.getClass().getSimpleName() + ": " + e.getMessage());
          }
          echo(server, socket, this); // the socket is still served
        }
      };
      String name = "127.0.0.1:" + server.accept(0, events);
      client.open(name);
      String refused = events.awaitEvent("refused", WAIT);
      assertThat(refused).startsWith("refused IllegalStateException: read(\"127.0.0.1:")
          .contains("blocks, and this is the registry's I/O thread")
          .contains("Use the callback form").contains("ListenerThreads.POOL");
      client.write(name, "still here\n");
      assertThat(client.read(name, Chunk.until("\n"))).isEqualTo("still here\n");
    }
  }

  @Test
  void secureInAnIoThreadCallUpgradesTheServerSide() throws Exception {
    try (SocketRegistry server = new SocketRegistry(); SocketRegistry client = new SocketRegistry()) {
      TestIdentity identity = TestPki.get().good();
      server.setServerIdentity(identity.chainPem(), identity.keyPem());
      server.setListenerThreads(ListenerThreads.IO_THREAD);
      client.setSslCertificates(List.of(TestPki.get().rootPem()));
      RecordingListener events = new RecordingListener() {
        @Override
        public void newConnection(String socket, String listener) {
          server.read(socket, Chunk.until("\r\n"), (s, command) -> {
            server.write(s, "220 go ahead\r\n", null); // plaintext, queued before secure
            try {
              server.secure(s);
            } catch (Exception e) {
              record("secure failed " + e);
            }
            echo(server, s, this);
          });
        }
      };
      String name = "localhost:" + server.accept(0, events);
      client.open(name);
      client.write(name, "STARTTLS\r\n");
      assertThat(client.read(name, Chunk.until("\r\n"))).isEqualTo("220 go ahead\r\n");
      client.secure(name, true, "localhost");
      client.write(name, "secret\n");
      assertThat(client.read(name, Chunk.until("\n"))).isEqualTo("secret\n");
      assertThat(client.tlsInfo(name).verified()).isTrue();
      assertThat(events.events()).noneMatch(e -> e.startsWith("secure failed"));
    }
  }

  /** Echoes every line with callback verbs, recording the thread each ran on. */
  private static void echo(SocketRegistry sockets, String socket, RecordingListener events) {
    sockets.read(socket, Chunk.until("\n"), (s, line) -> {
      events.record("echoed on " + Thread.currentThread().getName());
      sockets.write(s, line, null);
      echo(sockets, s, events);
    });
  }
}
