/**
 * A client of the push socket protocol over {@link org.sockscript.socketio.SocketIoClient}: sign in
 * with Ed25519 credentials ({@link org.sockscript.push.PushIdentity}), get an
 * {@link org.sockscript.push.Authorization} for the server's answer, and receive
 * {@link org.sockscript.push.PushMessage}s, each acknowledged after its handler returns.
 *
 * <pre>{@code
 * try (var sockets = new SocketRegistry()) {
 *   PushClient push = new PushClient(sockets, "https://push.example.com", PushIdentity.generate(), "phone-1");
 *   push.onMessage(m -> System.out.println(m));
 *   System.out.println(push.connect());        // authorized, or not authorized with the reason
 *   push.close();
 * }
 * }</pre>
 */
package org.sockscript.push;
