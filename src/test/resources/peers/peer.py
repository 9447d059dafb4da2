"""Loopback peers for sockscript's tests, made of Python's own socket and ssl (OpenSSL) modules.

    python3 peer.py <command> [args...]

A server prints "ready <port>" once it listens on 127.0.0.1; everything ends by itself within
its time limit (20 s). What a peer saw is printed on stdout, one "saw ..." line per event, for
the test to read back.
"""
import os
import socket
import ssl
import sys
import threading
import time

LIMIT = 20


def listen():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    s.settimeout(LIMIT)
    print("ready", s.getsockname()[1], flush=True)
    return s


def read_line(sock):
    line = b""
    while not line.endswith(b"\r\n"):
        b = sock.recv(1)
        if not b:
            break
        line += b
    return line


def tls_send_then_end(chain, key, how, data):
    """Accepts one TLS client, sends data, then ends: "cut" closes TCP without close_notify,
    "clean" sends close_notify first."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(chain, key)
    conn, _ = listen().accept()
    conn.settimeout(LIMIT)
    tls = ctx.wrap_socket(conn, server_side=True)
    tls.sendall(data.encode().decode("unicode_escape").encode("latin-1"))
    if how == "clean":
        tls.settimeout(2)
        try:
            tls.unwrap()  # our close_notify; the client's answer may or may not come
        except (OSError, ssl.SSLError):
            pass
        conn.close()
    else:
        time.sleep(0.2)  # the data is surely out before the FIN
        # A TCP close under OpenSSL's feet: no close_notify can go out.
        socket.socket(fileno=os.dup(tls.fileno())).shutdown(socket.SHUT_RDWR)
        tls.close()
    print("saw done", flush=True)


def pipelined_starttls(port, after, server_name, ca):
    """The client an attacker (or a careless pipeliner) would be: sends STARTTLS and what follows
    in one segment. after = "inject" (a plaintext command) or "hello" (a real ClientHello)."""
    sock = socket.create_connection(("127.0.0.1", int(port)), timeout=LIMIT)
    if after == "inject":
        sock.sendall(b"STARTTLS\r\nMAIL FROM:<injected@evil>\r\n")
        print("saw", read_line(sock), flush=True)
        rest = sock.recv(4096)
        print("saw after", rest[:5].hex(), flush=True)
        return
    ctx = ssl.create_default_context(cafile=ca)
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(incoming, outgoing, server_hostname=server_name)
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    sock.sendall(b"STARTTLS\r\n" + outgoing.read())  # the ClientHello rides with the command
    print("saw", read_line(sock), flush=True)
    while True:
        try:
            tls.do_handshake()
            break
        except ssl.SSLWantReadError:
            sock.sendall(outgoing.read())
            data = sock.recv(65536)
            if not data:
                print("saw eof during handshake", flush=True)
                return
            incoming.write(data)
    sock.sendall(outgoing.read())
    print("saw handshake", tls.version(), flush=True)
    tls.write(b"HELLO\r\n")
    sock.sendall(outgoing.read())
    # Take what the server sent after the handshake (its TLS 1.3 session tickets) before closing:
    # a close with unread bytes is a reset, and the test is about the read, not a rude client.
    sock.settimeout(0.3)
    try:
        while sock.recv(65536):
            pass
    except socket.timeout:
        pass
    sock.close()


def dribble(role, port, interval):
    """A TLS peer too slow to finish: sends a record header promising 16 KiB of handshake, then
    one byte per interval. role = "server" (listens) or "client" (connects to port)."""
    if role == "server":
        sock, _ = listen().accept()
    else:
        sock = socket.create_connection(("127.0.0.1", int(port)), timeout=LIMIT)
        print("connected", flush=True)
    deadline = time.time() + LIMIT
    try:
        sock.sendall(bytes([0x16, 0x03, 0x03, 0x40, 0x00]))
        while time.time() < deadline:
            time.sleep(float(interval))
            sock.sendall(b"\x01")
    except OSError as e:
        print("saw closed after", round(LIMIT - (deadline - time.time()), 1), "s:", e, flush=True)
        return
    print("saw still open after", LIMIT, "s", flush=True)


def greet_then_shut(clients="1"):
    """Accepts clients (one thread each); sends each QUESTION, shuts down its sending side (FIN),
    then prints what it receives until the client closes: the half-close of nc -N and RPC tools."""
    server = listen()

    def serve(conn):
        conn.settimeout(LIMIT)
        conn.sendall(b"QUESTION\r\n")
        conn.shutdown(socket.SHUT_WR)
        while True:
            data = conn.recv(65536)
            if not data:
                break
            print("saw", data.decode("latin-1").replace("\r\n", "|"), flush=True)
        print("saw eof", flush=True)

    workers = []
    for _ in range(int(clients)):
        workers.append(threading.Thread(target=serve, args=(server.accept()[0],)))
        workers[-1].start()
    for w in workers:
        w.join()


def starttls_client_distrusting(port):
    """An SMTP-ish client that sends STARTTLS, reads the reply, then shakes hands trusting only
    the system's roots: OpenSSL rejects the server's test certificate and says so with an alert
    (under TLS 1.3, sent before it has the keys to encrypt it)."""
    sock = socket.create_connection(("127.0.0.1", int(port)), timeout=LIMIT)
    sock.sendall(b"STARTTLS\r\n")
    print("saw", read_line(sock), flush=True)
    try:
        ssl.create_default_context().wrap_socket(sock, server_hostname="localhost")
        print("saw handshake", flush=True)
    except ssl.SSLError as e:
        print("saw refused", e.reason, flush=True)


def echo_many(limit_seconds="60"):
    """An asyncio echo server for many clients at once, ending after limit_seconds."""
    import asyncio

    async def echo(reader, writer):
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()

    async def main():
        server = await asyncio.start_server(echo, "127.0.0.1", 0, backlog=4096)
        print("ready", server.sockets[0].getsockname()[1], flush=True)
        await asyncio.sleep(float(limit_seconds))

    asyncio.run(main())


def two_ports_one_session_cache(chain, key, clients="2"):
    """One TLS context on two ports ("ready <a>", then "second <b>"), as an FTPS server's control
    and data ports: a session made on one resumes on the other. Per client: "saw <port> reused=<bool>
    <version>", then it echoes one line and holds the connection open."""
    import selectors
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(chain, key)
    a = listen()
    b = socket.socket()
    b.bind(("127.0.0.1", 0))
    b.listen(8)
    print("second", b.getsockname()[1], flush=True)
    sel = selectors.DefaultSelector()
    sel.register(a, selectors.EVENT_READ)
    sel.register(b, selectors.EVENT_READ)
    deadline = time.time() + LIMIT
    held = []  # connections stay open, as an FTPS control connection does
    for _ in range(int(clients)):
        events = sel.select(max(0.1, deadline - time.time()))
        if not events:
            break
        conn, _ = events[0][0].fileobj.accept()
        conn.settimeout(LIMIT)
        tls = ctx.wrap_socket(conn, server_side=True)
        print("saw", tls.getsockname()[1], "reused=" + str(tls.session_reused), tls.version(), flush=True)
        tls.sendall(read_line(tls))
        held.append(tls)
    time.sleep(max(0, min(2, deadline - time.time())))


def udp_echo(host="127.0.0.1", limit_seconds="30"):
    """A UDP echo server on host: each datagram goes back whole to its sender. Prints "received N"
    whenever N datagrams have come and none for 0.3 s, so a test can count a burst's loss."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 * 1024 * 1024)
    s.bind((host, 0))
    s.settimeout(0.3)
    print("ready", s.getsockname()[1], flush=True)
    count, reported, end = 0, 0, time.time() + float(limit_seconds)
    while time.time() < end:
        try:
            data, sender = s.recvfrom(65536)
        except socket.timeout:
            if count != reported:
                print("received", count, flush=True)
                reported = count
            continue
        count += 1
        s.sendto(data, sender)


COMMANDS = {"two-ports-one-session-cache": two_ports_one_session_cache, "udp-echo": udp_echo, "echo-many": echo_many, "starttls-client-distrusting": starttls_client_distrusting, "greet-then-shut": greet_then_shut, "tls-send-then-end": tls_send_then_end, "pipelined-starttls": pipelined_starttls,
            "dribble": dribble}

if __name__ == "__main__":
    COMMANDS[sys.argv[1]](*sys.argv[2:])
