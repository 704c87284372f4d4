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
    if host not in LOCAL_HOSTS:
        print(f"nncalc: serving on {host}: the page is reachable from other machines", file=sys.stderr)
    print(f"nncalc: open http://{'[' + host + ']' if ':' in host else host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    uvicorn.run(create_app(), host=host, port=port, log_level="warning", timeout_keep_alive=5)
    return 0
