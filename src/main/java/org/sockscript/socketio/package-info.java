/**
 * A socket.io client (Engine.IO 4 over the WebSocket transport, Socket.IO 5 on the default
 * namespace) built on {@link org.sockscript.websocket.WebSocket}, and so on registry verbs. JSON
 * goes through Gson's {@code JsonElement}. {@link org.sockscript.socketio.SocketIoClient} answers
 * the server's pings, delivers events on one event thread in order, and reports how a session ended.
 *
 * <pre>{@code
 * try (var sockets = new SocketRegistry()) {
 *   SocketIoClient io = new SocketIoClient(sockets, "https://push.example.com");
 *   io.on("news", args -> System.out.println("news: " + args));
 *   io.connect();                              // returns once the server accepted the session
 *   io.emit("hello", new JsonPrimitive("world"));
 *   io.close();
 * }
 * }</pre>
 */
package org.sockscript.socketio;
