/**
 * A WebSocket client (RFC 6455) built only on {@link org.sockscript.SocketRegistry}'s public verbs:
 * {@code ws://} over {@code open}, {@code wss://} over {@code openSecure} with the registry's
 * verification settings. {@link org.sockscript.websocket.WebSocket} connects, sends and receives
 * {@link org.sockscript.websocket.WebSocketMessage}s; a server that breaks the protocol gets a
 * {@link org.sockscript.websocket.WebSocketProtocolException} naming what was expected and what came.
 *
 * <pre>{@code
 * try (var sockets = new SocketRegistry()) {
 *   WebSocket ws = WebSocket.connect(sockets, "wss://echo.example/chat");
 *   ws.sendText("hello");
 *   System.out.println(ws.receive());          // text hello
 *   ws.close(1000, "bye");
 * }
 * }</pre>
 */
package org.sockscript.websocket;
