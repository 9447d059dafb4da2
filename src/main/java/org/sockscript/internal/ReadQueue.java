package org.sockscript.internal;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The inbound side of a connection: the bytes received and not yet read, and the reads waiting
 * for them, served strictly in issue order. The loop serves the queue; a script thread with no
 * read in flight ahead of it takes a fast path ({@link #takeNowOrCount}): it takes data that is
 * already buffered, or reads a plain socket itself (as a blocking NIO program would, saving two
 * thread hand-offs), or queues its blocking read itself so that the loop, which is reading anyway,
 * need not be woken to learn of it. {@link #inbound} is the lock for the queue and the bytes: a
 * read queued by a script thread either finds the data, or is found by the loop's next serve.
 */
final class ReadQueue {

  final InboundBuffer inbound;
  /**
   * Held by whoever reads the plain socket, from the read until the bytes are appended: the loop
   * waits for it, a script thread only tries it (it holds {@link #inbound} meanwhile, and never
   * waits for the loop while holding that), so bytes are appended in the order they came. And
   * {@code secure} sets its request under it, so no script thread reads the socket once it has.
   */
  final java.util.concurrent.locks.ReentrantLock socketReader = new java.util.concurrent.locks.ReentrantLock();
  private final ArrayDeque<ReadRequest> reads = new ArrayDeque<>(4); // (small: an idle socket holds it; it grows)
  /** Callback reads answered but not yet handed to the script, oldest first (see {@link Delivery}). */
  private final ArrayDeque<Delivery> undelivered = new ArrayDeque<>(2); // (small: an idle socket holds it)
  /** Reads issued and not ended yet, on any thread (guarded by inbound). */
  private int inFlight;

  ReadQueue(SegmentPool segments) {
    inbound = new InboundBuffer(segments);
  }

  /**
   * Script thread: if no earlier read is in flight and the chunk is already buffered, takes it
   * and returns it; otherwise counts the read as in flight (the caller then queues it on the loop)
   * and returns null. Order holds: a read only overtakes the loop when nothing is ahead of it.
   */
  /** Returned by {@link #takeNowOrCount}: the read is queued. */
  static final byte[] QUEUED = new byte[0];

  /**
   * Besides, if the chunk is not buffered yet while fewer than {@code pauseAt} bytes are (so the
   * loop still reads this socket), and {@code queueable} and {@code c} is open and has not ended,
   * queues the read here and returns {@link #QUEUED}: the loop serves it when data comes, without
   * a wake-up. {@code c}'s state is checked under the lock that its endings take to fail the
   * queued reads (after marking it ended), so no read is left behind. A take sets
   * {@link ReadRequest#loopShouldLook} when the loop must look again: reading had paused at
   * {@code pauseAt}, or the peer has closed and nothing is left (decided under the lock, so two
   * readers cannot both miss it).
   */
  byte[] takeNowOrCount(ReadRequest read, boolean allowed, Connection c, boolean queueable, int pauseAt) {
    synchronized (inbound) {
      if (allowed && inFlight == 0 && !c.upgradeRequested) { // (secure marks its request under this lock)
        int n = read.matcher.match(inbound);
        if (n > 0) {
          int before = inbound.size();
          byte[] taken = read.take(inbound, n);
          read.loopShouldLook = before >= pauseAt || (c.peerClosed && inbound.size() == 0);
          return taken;
        }
        boolean settled = queueable && c.ended == null && !c.peerClosed
            && c.state == Connection.State.OPEN && reads.isEmpty() && !c.upgradeRequested;
        // Not here yet: read the socket on this thread, as blocking NIO would (see socketReader:
        // the two readers cannot reorder bytes). Into the caller's array if it has one and
        // nothing is buffered, else into the buffer, until the chunk is in.
        int got = 0;
        if (n < 0 && settled && inbound.size() == 0 && read.readsDirect()) {
          got = readDirectly(read, c, true);
          if (got > 0 && read.taken() > 0) {
            return ReadRequest.TAKEN_INTO;
          } else if (got > 0 && (n = read.matcher.match(inbound)) > 0) {
            return read.take(inbound, n); // (TLS: the array was too small; decrypted into the buffer)
          }
        } else {
          while (n < 0 && settled && inbound.size() < pauseAt && (got = readDirectly(read, c, false)) > 0) {
            n = read.matcher.match(inbound);
          }
          if (n > 0) {
            return read.take(inbound, n); // the loop had not paused: it was under pauseAt
          }
        }
        if (got < 0) { // the end, or a failure: the loop must meet it itself
          settled = false;
        }
        if (n < 0 && settled && inbound.size() < pauseAt) { // (n == 0: "available", now empty)
          inFlight++;
          read.countedBy(this);
          reads.add(read); // the matcher keeps its place: the loop goes on from where it stopped
          c.clock.readHeadChanged(System.nanoTime()); // its timeout runs from now, even on a timer armed before
          return QUEUED;
        }
        read.matcher.restart(); // the loop matches again, from its own start
      }
      inFlight++;
      read.countedBy(this);
      return null;
    }
  }

  /** Reads {@code c}'s socket for {@code read}: into its array, or else into the buffer (decrypted, if secure). */
  private int readDirectly(ReadRequest read, Connection c, boolean into) {
    if (c.tls != null) {
      return CallerTls.read(c, read, into ? read.intoBuffer() : null);
    }
    if (!socketReader.tryLock()) {
      return 0; // the loop is reading it: it will serve the read, queued below
    }
    try {
      if (c.upgradeRequested || c.upgrade != null) {
        return -1; // secure was called meanwhile: what comes now is TLS input; the loop decides
      }
      return into ? read.readDirect(c.channel) : inbound.fillFrom(c.channel);
    } catch (IOException e) {
      read.directFailure = e; // handed to the loop (the socket may not say it twice)
      return -1;
    } finally {
      socketReader.unlock();
    }
  }

  /** Unread bytes at which reading pauses when no read waits for more (TCP then slows the peer). */
  static final int READ_AHEAD = 1024 * 1024;

  /**
   * Where reading pauses: a little read-ahead keeps buffers small and cheap to move; only a read
   * still waiting for its chunk (a long line, say) may use the whole inbound limit. Loop thread.
   */
  int readAheadLimit(int inboundLimit) {
    return isEmpty() ? Math.min(inboundLimit, READ_AHEAD) : inboundLimit;
  }

  /** A counted read ended. */
  void finished() {
    synchronized (inbound) {
      inFlight--;
    }
  }

  void add(ReadRequest read) {
    synchronized (inbound) {
      if (!read.isAnswered()) { // withdrawn by its interrupted caller on the way to the loop
        reads.add(read);
      }
    }
  }

  /**
   * Script thread, interrupted while waiting: takes {@code read} back unless it has already been
   * answered, so nothing touches its array or takes bytes for it afterwards. Reads are answered
   * under this lock, or claimed first (see {@link ReadRequest#withdraw}), so the two cannot cross.
   */
  boolean withdraw(ReadRequest read, Connection c) {
    synchronized (inbound) {
      if (!read.withdraw()) {
        return false;
      }
      boolean wasHead = reads.peek() == read;
      reads.remove(read);
      if (wasHead) {
        c.clock.readHeadChanged(System.nanoTime()); // the next read's timeout runs from now
      }
      return true;
    }
  }

  boolean isEmpty() {
    synchronized (inbound) {
      return reads.isEmpty();
    }
  }

  ReadRequest head() {
    synchronized (inbound) {
      return reads.peek();
    }
  }

  /**
   * Timer: in one step under the lock (which a withdrawal also takes, and stamps the clock
   * under), the head read if it is still {@code overdue}; a blocking one is removed and fails
   * with a timeout, its data staying for later reads. Returns that head, or null if none is due.
   */
  ReadRequest timeOutHead(Connection c, java.util.function.BooleanSupplier overdue, long millis) {
    synchronized (inbound) {
      ReadRequest head = reads.peek();
      if (head == null || !overdue.getAsBoolean()) {
        return null; // withdrawn meanwhile: the next read's time runs from the withdrawal
      }
      if (head.isBlocking()) {
        reads.poll();
        head.fail(Failures.readTimeout(c.name, head.chunk(), millis, inbound.size()));
      }
      return head;
    }
  }

  /**
   * Hands buffered data to the waiting reads, in order. After the peer closed, a read that cannot
   * complete gets what is left ({@code eof}), or, if the TLS stream was cut ({@code truncation}
   * not null), fails with that. Returns how many reads completed, or throws if the head read
   * needs more bytes than {@code limit} allows.
   */
  int serve(Connection c, boolean peerClosed, IOException truncation, int limit) throws IOException {
    synchronized (inbound) {
      return serveLocked(c, peerClosed, truncation, limit);
    }
  }

  private int serveLocked(Connection c, boolean peerClosed, IOException truncation, int limit)
      throws IOException {
    int served = 0;
    while (!reads.isEmpty()) {
      ReadRequest read = reads.peek();
      int n = read.matcher.match(inbound);
      if (n > 0 || (n == 0 && !peerClosed)) {
        reads.poll();
        read.complete(c, read.take(inbound, n));
      } else if (peerClosed && truncation != null) {
        reads.poll();
        c.truncationMet = true; // the script hears of it: its socketError is due even if it closes now
        read.failTruncated(c, inbound.takeAll(), truncation);
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

  /** Loop: sends a callback read's chunk on its way to the script. */
  void deliver(Connection c, ReadRequest read, org.sockscript.ReadCallback callback, byte[] data) {
    synchronized (inbound) {
      Delivery d = new Delivery(c, read, callback, data);
      undelivered.add(d);
      c.events.deliver(d);
    }
  }

  /** A delivery reached the script (under the lock). */
  void handed(Delivery d) {
    undelivered.remove(d);
  }

  /**
   * Rule 3 of {@link Upgrade}: the unread bytes leave for the TLS stage, and so do the chunks of
   * callback reads not yet handed to the script, in front of them; those reads wait again, ahead
   * of the others, and every matcher starts over.
   */
  byte[] takeUnreadForUpgrade() {
    synchronized (inbound) {
      java.io.ByteArrayOutputStream back = new java.io.ByteArrayOutputStream();
      for (java.util.Iterator<Delivery> it = undelivered.descendingIterator(); it.hasNext(); ) {
        Delivery d = it.next();
        d.state = Delivery.State.RETRACTED;
        inFlight++;
        d.read.reopen(this);
        reads.addFirst(d.read);
      }
      for (Delivery d : undelivered) {
        back.writeBytes(d.data);
      }
      undelivered.clear();
      for (ReadRequest read : reads) {
        read.matcher.restart();
      }
      back.writeBytes(inbound.takeAll());
      return back.toByteArray();
    }
  }

  /**
   * A refused {@code secure}: the chunks it held back go to the script after all, in order (as
   * fresh deliveries, so none overtakes another still queued on the listener).
   */
  void releaseWithheld(Connection c) {
    synchronized (inbound) {
      c.upgradeRequested = false; // under the lock: no answer can slip out ahead of a held one
      java.util.List<Delivery> again = new java.util.ArrayList<>(undelivered);
      undelivered.clear();
      for (Delivery d : again) {
        d.state = Delivery.State.RETRACTED;
        deliver(c, d.read, d.callback(), d.data);
      }
    }
  }

  /** Fails every waiting read and forgets the unread data. */
  void failAll(IOException failure) {
    synchronized (inbound) {
      for (ReadRequest read : reads) {
        read.fail(failure);
      }
      reads.clear();
      inbound.clear();
    }
  }
}
