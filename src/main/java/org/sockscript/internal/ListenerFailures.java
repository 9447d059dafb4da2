package org.sockscript.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * Reports a listener or callback that threw: a WARN log line with the stack trace, and, when the
 * application has no SLF4J binding (every log event would vanish), the same on {@code System.err},
 * where the JDK itself prints an exception nobody caught. A bug in a handler must never go unseen.
 */
final class ListenerFailures {

  private static final Logger log = LoggerFactory.getLogger(ListenerFailures.class);
  private static final String MESSAGE = "sockscript: a listener or callback threw; the socket carries on";

  private ListenerFailures() {}

  /**
   * Logs {@code thrown}, or prints it when logging goes nowhere; never throws. A listener ended by
   * the registry closing under it (its verb threw "the registry is closed") did nothing wrong: that
   * is logged at DEBUG only.
   */
  static void report(Throwable thrown) {
    if (Failures.isRegistryClosed(thrown)) {
      log.debug("sockscript: a listener or callback ended as the registry closed", thrown);
    } else if (LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory) {
      System.err.println(MESSAGE + " (add an SLF4J binding, such as slf4j-simple, to log it instead):");
      thrown.printStackTrace();
    } else {
      log.warn(MESSAGE, thrown);
    }
  }
}
