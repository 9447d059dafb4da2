package org.sockscript;

/** Argument checks for the public API: misuse fails at once, naming the bad value. */
final class Args {

  private Args() {}

  /** {@code value}, or {@code IllegalArgumentException("<what> == null")}. */
  static <T> T notNull(T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " == null");
    }
    return value;
  }
}
