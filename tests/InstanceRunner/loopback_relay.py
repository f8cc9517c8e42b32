"""Carries TCP connections across a network namespace through a Unix socket, so that an instance kept
off the network (no route to S3) still reaches its instance metadata and power shims on the runner.

The runner listens on a Unix socket and relays each connection to its own HTTP port; inside the
instance's empty network namespace, ns_init.py listens on 127.0.0.1 at the runner's port and relays
each connection to that Unix socket. Nothing else listens there, so the API proxy (S3) is unreachable.
"""
import os
import socket
import threading


def _pump(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for s, how in ((sink, socket.SHUT_WR), (source, socket.SHUT_RD)):
            try:
                s.shutdown(how)
            except OSError:
                pass


def _join(client, connect):
    try:
        upstream = connect()
    except OSError:
        client.close()
        return
    pumps = [threading.Thread(target=_pump, args=pair, daemon=True) for pair in ((client, upstream), (upstream, client))]
    for pump in pumps:
        pump.start()
    for pump in pumps:
        pump.join()
    client.close()
    upstream.close()


def _serve(listener, connect):
    while True:
        try:
            client, _ = listener.accept()
        except OSError:
            return  # closed
        threading.Thread(target=_join, args=(client, connect), daemon=True).start()


def unix_to_tcp(path, port):
    """Runner side: relays connections on the Unix socket `path` to 127.0.0.1:port. Returns the listener."""
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    threading.Thread(target=_serve, args=(listener, lambda: socket.create_connection(("127.0.0.1", port))),
                     name="loopback-relay", daemon=True).start()
    return listener


def tcp_to_unix(port, path):
    """Namespace side: relays connections to 127.0.0.1:port to the Unix socket `path`."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(64)

    def connect():
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        upstream.connect(path)
        return upstream
    threading.Thread(target=_serve, args=(listener, connect), name="loopback-relay", daemon=True).start()
    return listener
