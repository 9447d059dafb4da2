package org.sockscript.push;

import com.google.gson.JsonElement;
import java.math.BigDecimal;

/** Small checks on the JSON of the protocol's events. */
final class PushJson {

  private PushJson() {}

  static boolean isString(JsonElement e) {
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
  }

  /** A whole number that fits a long, or null (absent, a fraction, not a number). */
  static Long wholeNumber(JsonElement e) {
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      return null;
    }
    try {
      return new BigDecimal(e.getAsString()).longValueExact();
    } catch (ArithmeticException | NumberFormatException notWhole) {
      return null;
    }
  }
}
