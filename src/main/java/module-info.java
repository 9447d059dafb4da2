/**
 * sockscript: LiveCode's socket commands for Java and JShell, with in-place TLS upgrade
 * (STARTTLS) on Conscrypt. The API is {@link org.sockscript}, with the protocols built on its verbs
 * ({@code websocket}, {@code socketio}, {@code push}); the {@code internal} packages are not exported.
 *
 * <p>Example, a modular application's descriptor:
 * <pre>{@code
 * module app {
 *   requires org.sockscript;
 * }
 * }</pre>
 *
 * <p>Logging goes through SLF4J: put a binding such as {@code slf4j-simple} on the module path
 * to see the library's warnings.
 */
module org.sockscript {
  // One line each: a new public package is one more exports, a new dependency one more requires.
  exports org.sockscript;
  exports org.sockscript.websocket;
  exports org.sockscript.socketio;
  exports org.sockscript.push;

  requires org.conscrypt; // TLS (BoringSSL); only org.sockscript.internal.tls uses it
  requires org.slf4j;
  requires org.apache.commons.lang3;
  requires transitive com.google.gson; // SocketIoClient's API takes and gives Gson's JsonElement
}
