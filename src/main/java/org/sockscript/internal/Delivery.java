package org.sockscript.internal;

import org.sockscript.ReadCallback;

/**
 * A callback read's answer on its way to the script: matched on the loop, handed over when the
 * listener's turn comes. Until then it is not the script's, so {@code secure} may take it back
 * (rule 3 of {@link Upgrade}): its bytes go in front of the TLS input and its read is queued
 * again, as if it had never matched. Without this, a second pipelined read would deliver
 * plaintext injected before {@code STARTTLS} after {@code secure} returned.
 *
 * <p>Its state is guarded by the connection's inbound lock, which {@code secure} also takes to
 * mark its request: a delivery either runs before the request, or never.
 */
final class Delivery implements Runnable {

  enum State { PENDING, HANDED, WITHHELD, RETRACTED }

  final ReadRequest read;
  final byte[] data;
  private final Connection c;
  private final ReadCallback callback;
  State state = State.PENDING;

  Delivery(Connection c, ReadRequest read, ReadCallback callback, byte[] data) {
    this.c = c;
    this.read = read;
    this.callback = callback;
    this.data = data;
  }

  ReadCallback callback() {
    return callback;
  }

  /** On the listener's turn: hands the chunk over, unless secure has claimed it meanwhile. */
  @Override
  public void run() {
    synchronized (c.reads.inbound) {
      if (state == State.RETRACTED) {
        return;
      }
      if (c.upgradeRequested) {
        state = State.WITHHELD; // secure is being set up: the loop takes it back or sends it again
        return;
      }
      state = State.HANDED;
      c.reads.handed(this);
    }
    callback.received(c.name, new String(data, c.charset));
  }
}
