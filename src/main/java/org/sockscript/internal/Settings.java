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

  public Duration timeout() {
    return Duration.ofNanos(timeoutNanos);
  }

  public void timeout(Duration timeout) {
    timeoutNanos = timeout.toNanos();
  }

  public void inboundLimit(int bytes) {
    inboundLimit = bytes;
  }

  public void writeQueueLimit(int bytes) {
    writeQueueLimit = bytes;
  }

  public void charset(Charset cs) {
    charset = cs;
  }

  long timeoutMillis() {
    return timeoutNanos / 1_000_000;
  }
}
