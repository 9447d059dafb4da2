package org.sockscript.internal.trace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A trace written as a pcapng file that Wireshark and tshark open: each socket becomes a
 * synthetic TCP stream between its real addresses and ports ({@link SyntheticTcp}), carrying
 * exactly the bytes that crossed the wire — the plaintext, then the TLS records. The decrypted
 * application data, which no capture of the wire can show, rides beside it: each chunk is a
 * packet comment on an empty ACK segment of the same stream and direction, at the moment it was
 * decrypted (or handed to TLS to encrypt), reading {@code decrypted 8 bytes: "250 ok\r\n"}.
 * (TLS key log lines would let Wireshark decrypt the records itself, but neither Conscrypt nor
 * the JDK's provider hands out the secrets.) Flushed after every event, so a file can be read
 * while the trace goes on.
 */
public final class PcapngTrace implements TraceSink {
  // (A datagram socket's datagrams are written as UDP packets between its address and the peer's.)

  private final OutputStream out;
  private final Map<Object, SyntheticTcp> streams = new IdentityHashMap<>();
  private boolean closed;

  /** Creates (or replaces) {@code file} and writes the file's header. */
  public PcapngTrace(Path file) throws IOException {
    out = new BufferedOutputStream(Files.newOutputStream(file));
    out.write(PcapngBlocks.sectionHeader());
    out.write(PcapngBlocks.interfaceDescription());
    out.flush();
  }

  @Override
  public synchronized void chunk(TraceEvent e) {
    if (closed || e.local() == null || e.remote() == null) {
      return; // (a socket without addresses cannot be framed)
    }
    try {
      if (e.kind() == TraceEvent.Kind.DATAGRAM) {
        out.write(PcapngBlocks.packet(e.epochNanos(), SyntheticTcp.udp(e.local(), e.remote(), e.outbound(), e.data()), null));
        out.flush();
        return;
      }
      SyntheticTcp tcp = streams.get(e.stream());
      if (tcp == null) {
        tcp = new SyntheticTcp(e.local(), e.remote(), e.accepted());
        streams.put(e.stream(), tcp);
        for (byte[] p : tcp.handshake()) {
          out.write(PcapngBlocks.packet(e.epochNanos(), p, null));
        }
      }
      if (e.kind() == TraceEvent.Kind.WIRE) {
        for (byte[] p : tcp.segments(e.outbound(), e.accepted(), e.data())) {
          out.write(PcapngBlocks.packet(e.epochNanos(), p, null));
        }
      } else {
        byte[] ack = tcp.segments(e.outbound(), e.accepted(), new byte[0])[0];
        out.write(PcapngBlocks.packet(e.epochNanos(), ack, comment(e)));
      }
      out.flush();
    } catch (IOException failed) {
      throw new UncheckedIOException("pcapng trace: " + failed.getMessage(), failed);
    }
  }

  private static String comment(TraceEvent e) {
    return (e.outbound() ? "to encrypt " : "decrypted ") + e.data().length + " bytes: " + TextTrace.show(e.data());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("pcapng trace: " + e.getMessage(), e);
    }
  }
}
