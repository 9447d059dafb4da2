package org.sockscript.internal;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The inbound side of a connection: the bytes received and not yet read, and the reads waiting
 * for them, served strictly in issue order. Loop thread only.
 */
final class ReadQueue {

  final InboundBuffer inbound = new InboundBuffer();
  private final ArrayDeque<ReadRequest> reads = new ArrayDeque<>();

  void add(ReadRequest read) {
    reads.add(read);
  }

  boolean isEmpty() {
    return reads.isEmpty();
  }

  ReadRequest head() {
    return reads.peek();
  }

  /** Removes the head read (it timed out); its data stays for later reads. */
  void dropHead(IOException failure) {
    reads.poll().fail(failure);
  }

  /**
   * Hands buffered data to the waiting reads, in order. After the peer closed, a read that cannot
   * complete gets what is left. Returns how many reads completed, or throws if the head read
   * needs more bytes than {@code limit} allows.
   */
  int serve(Connection c, boolean peerClosed, int limit) throws IOException {
    int served = 0;
    while (!reads.isEmpty()) {
      ReadRequest read = reads.peek();
      int n = read.matcher.match(inbound);
      if (n > 0 || (n == 0 && !peerClosed)) {
        reads.poll();
        read.complete(c, inbound.take(n));
      } else if (peerClosed) {
        reads.poll();
        read.completeAtEof(c, inbound.takeAll());
      } else if (inbound.size() >= limit) {
        throw Failures.inboundLimit(c.name, read.chunk(), limit, inbound.size());
      } else {
        break;
      }
      served++;
    }
    return served;
  }

  /** Rule 3 of {@link Upgrade}: the unread bytes leave for the TLS stage; matchers start over. */
  byte[] takeUnreadForUpgrade() {
    for (ReadRequest read : reads) {
      read.matcher.restart();
    }
    return inbound.takeAll();
  }

  /** Fails every waiting read and forgets the unread data. */
  void failAll(IOException failure) {
    for (ReadRequest read : reads) {
      read.fail(failure);
    }
    reads.clear();
    inbound.clear();
  }
}
