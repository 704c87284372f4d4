"""``nncalc serve``: a local web page (paste a model, see the table, the formulas and the diagram) and the
JSON API behind it. Needs the ``web`` extra (``pip install 'nncalc[web]'``: FastAPI and uvicorn)."""

from __future__ import annotations

import sys

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def serve(host: str = "127.0.0.1", port: int = 8000) -> int:
    """Serve the page until interrupted; bound to this machine unless another ``host`` is given."""
    try:
        import uvicorn

        from nncalc.web.app import create_app
    except ImportError as err:
        print(f"nncalc serve needs the web extra ({err.name} is missing): pip install 'nncalc[web]'", file=sys.stderr)
        return 2
    listening = _listen(host, port)
    if isinstance(listening, str):
        print(f"nncalc: {listening}", file=sys.stderr)
        return 2
    if host not in LOCAL_HOSTS:
        print(f"nncalc: serving on {host}: the page is reachable from other machines", file=sys.stderr)
    print(f"nncalc: open http://{'[' + host + ']' if ':' in host else host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    app = create_app()
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_keep_alive=5,
                                           timeout_graceful_shutdown=1))
    on_exit = server.handle_exit

    def handle_exit(sig, frame) -> None:
        # SIGTERM / Ctrl+C: the workers stop first, so a request being analysed is answered (503) at once and
        # the server is gone within a second or two
        app.state.pool.close()
        on_exit(sig, frame)

    server.handle_exit = handle_exit
    server.run(sockets=[listening])
    return 0


def _listen(host: str, port: int):
    """A socket bound to ``host:port`` for the server, or why there is none (a port in use, an unknown host):
    said before the page's address is printed."""
    import errno
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (OSError, UnicodeError) as err:
        return f"cannot listen on {host!r}: {getattr(err, 'strerror', None) or err}; give an address with --host"
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            return f"port {port} is in use on {host} (another nncalc serve?); choose another with --port N"
        return f"cannot listen on {host}:{port} ({err.strerror}); choose another --port or --host"
    return sock
