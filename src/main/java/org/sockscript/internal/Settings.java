package org.sockscript.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A registry's adjustable properties. Written by script threads, read by the loop: volatile. */
public final class Settings {

  volatile long timeoutNanos = Duration.ofSeconds(10).toNanos();
  volatile int inboundLimit = 16 * 1024 * 1024;
  volatile int writeQueueLimit = 1024 * 1024;
  volatile Charset charset = StandardCharsets.UTF_8;
  volatile org.sockscript.ListenerThreads listenerThreads = org.sockscript.ListenerThreads.POOL;

  /** Whether datagram sockets may send to broadcast addresses (LiveCode's allowDatagramBroadcasts). */
  volatile boolean allowDatagramBroadcasts;
  /** The local address new sockets and listeners bind to (LiveCode's defaultNetworkInterface); null = any. */
  volatile java.net.InetAddress defaultInterface;
  /** Gets the events of sockets opened without a listener (blocking opens); null = the log. */
  volatile org.sockscript.SocketListener defaultListener;

  public void allowDatagramBroadcasts(boolean allowed) {
    allowDatagramBroadcasts = allowed;
  }

  public boolean allowDatagramBroadcasts() {
    return allowDatagramBroadcasts;
  }

  public void defaultInterface(java.net.InetAddress address) {
    defaultInterface = address;
  }

  public java.net.InetAddress defaultInterface() {
    return defaultInterface;
  }

  public void defaultListener(org.sockscript.SocketListener listener) {
    defaultListener = listener;
  }

  public org.sockscript.SocketListener defaultListener() {
    return defaultListener;
  }

  public void listenerThreads(org.sockscript.ListenerThreads where) {
    listenerThreads = where;
  }

  public org.sockscript.ListenerThreads listenerThreads() {
    return listenerThreads;
  }

  public Duration timeout() {
    return Duration.ofNanos(timeoutNanos);
  }

  public void timeout(Duration timeout) {
    timeoutNanos = timeout.toNanos();
  }

  public void inboundLimit(int bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("inboundLimit must be at least 1024 bytes, was " + bytes);
    }
    inboundLimit = bytes;
  }

  public int inboundLimit() {
    return inboundLimit;
  }

  public void writeQueueLimit(int bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("writeQueueLimit must be at least 1024 bytes, was " + bytes);
    }
    writeQueueLimit = bytes;
  }

  public void charset(Charset cs) {
    charset = cs;
  }

  long timeoutMillis() {
    return timeoutNanos / 1_000_000;
  }
}
