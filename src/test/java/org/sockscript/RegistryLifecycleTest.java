package org.sockscript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sockscript.testing.LogCapture;

/** What a registry does around its edges: after close, while names resolve, at shutdown. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RegistryLifecycleTest {

  @Test
  void callsAfterTheRegistryIsClosedFailAtOnce() throws Exception {
    LoopbackPair pair = LoopbackPair.listening();
    String name = pair.connect("");
    pair.close();
    assertThatThrownBy(() -> pair.client.read(name, Chunk.lines(1)))
        .isInstanceOf(IllegalStateException.class).hasMessage("the registry is closed");
    assertThatThrownBy(() -> pair.client.write(name, "x"))
        .isInstanceOf(IllegalStateException.class).hasMessage("the registry is closed");
    assertThatThrownBy(() -> pair.client.open(name + "|again"))
        .isInstanceOf(IllegalStateException.class).hasMessage("the registry is closed");
    assertThat(pair.client.openSockets()).isEmpty();
  }

  @Test
  void aRegistryShowsItsOpenSocketsAsText() throws Exception {
    SocketRegistry sockets = new SocketRegistry();
    assertThat(sockets).hasToString("SocketRegistry[]");
    String port = sockets.accept(0, new SocketListener() {});
    sockets.open("127.0.0.1:" + port + "|first");

    assertThat(sockets.toString()).as("the listener, the client, and maybe already the accepted end")
        .matches("SocketRegistry\\[" + port + ", 127\\.0\\.0\\.1:" + port + "\\|first(, 127\\.0\\.0\\.1:\\d+)?]");
    sockets.close();
    assertThat(sockets).hasToString("SocketRegistry[closed]");
  }

  @Test
  void aListenerEndedByTheRegistryClosingUnderItIsNotReportedAsABug() throws Exception {
    CountDownLatch finished = new CountDownLatch(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    try (LogCapture log = LogCapture.startQuiet()) {
      SocketRegistry sockets = new SocketRegistry();
      String port = sockets.accept(0, new SocketListener() {
        @Override
        public void newConnection(String socket, String listener) {
          try {
            try {
              sockets.read(socket, Chunk.lines(1)); // nothing comes: the registry closes meanwhile
            } catch (IOException e) {
              sockets.close(socket); // tidies up, as a script would: the registry is closed by now
            }
          } catch (RuntimeException e) {
            thrown.set(e);
            throw e;
          } finally {
            finished.countDown();
          }
        }
      });
      sockets.open("127.0.0.1:" + port);
      Thread.sleep(200); // the listener is waiting in its read
      sockets.close();
      assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(300); // its throw, if any, is reported by now
      assertThat(thrown.get()).hasMessage("the registry is closed");
      assertThat(log.problems()).as("logged:%n%s", log.text()).isEmpty();
    }
  }

  @Test
  void aBlockingCallQueuedOnAnUnresolvableCallbackOpenFailsWithTheReason() throws Exception {
    try (SocketRegistry sockets = new SocketRegistry()) {
      RecordingListener events = new RecordingListener();
      String name = "no-such-host.invalid:80";
      sockets.open(name, events);
      assertThatThrownBy(() -> sockets.write(name, "hello\r\n"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("can't resolve hostname: no-such-host.invalid");
      assertThat(events.awaitEvent("socketError " + name, LoopbackPair.WAIT))
          .contains("can't resolve hostname: no-such-host.invalid");
    }
  }

  @Test
  void closingTheRegistryClosesSocketsThatWereStillFlushing() throws Exception {
    CountDownLatch drain = new CountDownLatch(1);
    CompletableFuture<String> peer = new CompletableFuture<>();
    try (ServerSocket listener = new ServerSocket(0)) {
      Thread reader = new Thread(() -> {
        try (Socket s = listener.accept()) {
          drain.await();
          s.setSoTimeout(3000);
          byte[] buffer = new byte[1 << 16];
          while (s.getInputStream().read(buffer) > 0) {
            // drain until the end of the stream
          }
          peer.complete("eof");
        } catch (SocketTimeoutException e) {
          peer.complete("still open 3 s after the registry closed");
        } catch (Exception e) {
          peer.complete("eof: " + e.getMessage()); // a reset also means the socket was closed
        }
      });
      reader.setDaemon(true);
      reader.start();
      SocketRegistry sockets = new SocketRegistry();
      String name = "localhost:" + listener.getLocalPort();
      sockets.open(name);
      sockets.write(name, new byte[8 << 20], null);
      Thread.sleep(200);
      sockets.close(name); // still flushing
      sockets.close();
      drain.countDown();
      assertThat(peer.get(10, TimeUnit.SECONDS)).startsWith("eof");
    }
  }

  @Test
  void aShorterTimeoutAppliesToSocketsAlreadyWaiting() throws Exception {
    try (LoopbackPair pair = LoopbackPair.listening()) {
      RecordingListener events = new RecordingListener();
      String name = pair.name("");
      pair.client.open(name, events);
      events.awaitEvent("connected", LoopbackPair.WAIT);
      pair.client.read(name, Chunk.lines(1), events.readRecorder()); // waits under the 10 s default
      long start = System.nanoTime();
      pair.client.setSocketTimeoutInterval(Duration.ofMillis(500));
      events.awaitEvent("socketTimeout " + name, Duration.ofSeconds(5));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }
}
