package org.sockscript.push;

import java.util.OptionalLong;

/**
 * The server's answer to the authentication: {@code authorized}, or {@code not authorized} with
 * a reason. Immutable.
 *
 * <pre>{@code
 * Authorization a = client.connect();
 * if (!a.authorized()) System.out.println("refused: " + a.reason());
 * }</pre>
 */
public final class Authorization {

  /** The reasons the protocol names, as they come on the wire. Example: {@code Authorization.TIME.equals(a.reason())} */
  public static final String BADLY_FORMED_CREDENTIALS = "badly formed credentials";
  /** The identity key was revoked. Example: {@code Authorization.REVOKED} */
  public static final String REVOKED = "revoked";
  /** The signature in the password did not verify. Example: {@code Authorization.SIGNATURE} */
  public static final String SIGNATURE = "signature";
  /** The identity key and device id are not registered. Example: {@code Authorization.NOT_REGISTERED} */
  public static final String NOT_REGISTERED = "not registered";
  /** The time in the password is out of the server's window; {@code serverTime} says its time. Example: {@code Authorization.TIME} */
  public static final String TIME = "time";

  private final String reason;
  private final Long serverTime;
  private final boolean retried;

  Authorization(String reason, Long serverTime, boolean retried) {
    this.reason = reason;
    this.serverTime = serverTime;
    this.retried = retried;
  }

  /** True if the server said {@code authorized}. Example: {@code if (a.authorized()) ...} */
  public boolean authorized() {
    return reason == null;
  }

  /** Null when authorized; else the server's {@code message}, e.g. {@code "revoked"}. Example: {@code a.reason()} */
  public String reason() {
    return reason;
  }

  /**
   * The server's unix time in seconds: from a {@code time} refusal, or, after a successful retry,
   * the time that was signed. Example: {@code a.serverTime().getAsLong()}
   */
  public OptionalLong serverTime() {
    return serverTime == null ? OptionalLong.empty() : OptionalLong.of(serverTime);
  }

  /** True if the first answer was {@code time} and this is the answer to the second try. Example: {@code a.retried()} */
  public boolean retried() {
    return retried;
  }

  /** {@code authorized}, or {@code not authorized: time (serverTime 1767225600)}. Example: {@code System.out.println(a);} */
  @Override
  public String toString() {
    String time = serverTime == null ? "" : " (serverTime " + serverTime + ")";
    return (reason == null ? "authorized" : "not authorized: " + reason) + time + (retried ? ", after a retry" : "");
  }
}
