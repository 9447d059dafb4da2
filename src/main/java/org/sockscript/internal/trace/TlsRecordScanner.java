package org.sockscript.internal.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * Follows one direction of a socket's bytes and names the TLS records in them: content type,
 * version and length, and the handshake message types while they travel in the clear (TLS 1.2
 * until ChangeCipherSpec; TLS 1.3's ClientHello and ServerHello). Records may span chunks. Until
 * the socket has a TLS stage and a chunk starts with a record header, the bytes are plaintext
 * (STARTTLS: the plaintext queued before {@code secure} still goes out as such). Not thread-safe:
 * its {@link WireTap} serializes calls.
 */
final class TlsRecordScanner {

  private boolean tls;
  /** Once the peer in this direction sent ChangeCipherSpec, its handshake records are encrypted. */
  private boolean encrypted;
  private final byte[] header = new byte[5];
  private int headerLength;
  /** Bytes of the current record's body still to come. */
  private int bodyLeft;

  /**
   * Descriptions of the records starting or continuing in {@code chunk}, or null while the
   * direction is plaintext. {@code tlsStarted}: the socket has a TLS stage.
   */
  List<String> scan(byte[] chunk, boolean tlsStarted) {
    if (!tls) {
      if (!tlsStarted || !looksLikeRecord(chunk)) {
        return null;
      }
      tls = true;
    }
    List<String> records = new ArrayList<>();
    int i = 0;
    if (bodyLeft > 0) {
      int n = Math.min(bodyLeft, chunk.length);
      records.add("(" + n + " more bytes of the record before)");
      bodyLeft -= n;
      i = n;
    }
    while (i < chunk.length) {
      int n = Math.min(5 - headerLength, chunk.length - i);
      System.arraycopy(chunk, i, header, headerLength, n);
      headerLength += n;
      i += n;
      if (headerLength < 5) {
        records.add("(part of a record header)");
        break;
      }
      headerLength = 0;
      int type = header[0] & 0xff;
      int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
      int inChunk = Math.min(length, chunk.length - i);
      records.add(describe(type, length, chunk, i, inChunk));
      if (type == 20) {
        encrypted = true;
      }
      bodyLeft = length - inChunk;
      i += inChunk;
    }
    return records;
  }

  private String describe(int type, int length, byte[] chunk, int body, int inChunk) {
    StringBuilder sb = new StringBuilder(typeName(type)).append(' ').append(version(header[1], header[2]))
        .append(" len ").append(length);
    if (type == 22 && !encrypted) {
      List<String> messages = new ArrayList<>();
      for (int p = body; p + 4 <= body + inChunk; ) { // each message: type, 3-byte length, body
        messages.add(HandshakeNames.of(chunk[p] & 0xff));
        p += 4 + (((chunk[p + 1] & 0xff) << 16) | ((chunk[p + 2] & 0xff) << 8) | (chunk[p + 3] & 0xff));
      }
      sb.append(' ').append(messages);
    } else if (type == 22 || (type == 21 && encrypted)) {
      sb.append(" (encrypted)");
    } else if (type == 21 && inChunk >= 2) {
      sb.append(" [").append(chunk[body] == 2 ? "fatal " : "warning ").append(chunk[body + 1] & 0xff).append(']');
    }
    return sb.toString();
  }

  /** A TLS record header: content type 20 to 24, version 3.x, a length a record may have. */
  static boolean looksLikeRecord(byte[] chunk) {
    if (chunk.length < 5) {
      return chunk.length > 0 && (chunk[0] & 0xff) >= 20 && (chunk[0] & 0xff) <= 24;
    }
    int type = chunk[0] & 0xff;
    int length = ((chunk[3] & 0xff) << 8) | (chunk[4] & 0xff);
    return type >= 20 && type <= 24 && chunk[1] == 3 && (chunk[2] & 0xff) <= 4 && length <= 18432;
  }

  private static String typeName(int type) {
    switch (type) {
      case 20: return "ChangeCipherSpec";
      case 21: return "Alert";
      case 22: return "Handshake";
      case 23: return "ApplicationData";
      case 24: return "Heartbeat";
      default: return "type " + type + "?";
    }
  }

  private static String version(byte major, byte minor) {
    return major == 3 && minor >= 1 && minor <= 4 ? "v1." + (minor - 1) : String.format("v%d.%d?", major, minor);
  }
}
