package org.sockscript.internal.trace;

/** TLS handshake message types by number (RFC 8446 §4, RFC 5246 §7.4). */
final class HandshakeNames {

  private HandshakeNames() {}

  static String of(int type) {
    switch (type) {
      case 1: return "ClientHello";
      case 2: return "ServerHello";
      case 4: return "NewSessionTicket";
      case 8: return "EncryptedExtensions";
      case 11: return "Certificate";
      case 12: return "ServerKeyExchange";
      case 13: return "CertificateRequest";
      case 14: return "ServerHelloDone";
      case 15: return "CertificateVerify";
      case 16: return "ClientKeyExchange";
      case 20: return "Finished";
      case 24: return "KeyUpdate";
      default: return "type " + type;
    }
  }
}
