"""``nncalc serve``: the real command starts, listens on this machine only by default, and serves the page."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT, _free_port


def test_serve_listens_on_localhost_and_serves_the_page():
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    server = subprocess.Popen([sys.executable, "-m", "nncalc.cli", "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        page = None
        deadline = time.monotonic() + 30
        while page is None and time.monotonic() < deadline and server.poll() is None:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read().decode()
            except OSError:
                time.sleep(0.2)
        assert page is not None and "<title>nncalc" in page
        listening = open("/proc/net/tcp").read().upper()
        assert f"0100007F:{port:04X}" in listening  # 127.0.0.1, not 0.0.0.0
    finally:
        server.terminate()
        _, err = server.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in err


def test_a_busy_port_is_said_plainly():
    """Another program on the port: a one-line message naming it and the fix, exit 2 (not 3), and no address
    printed as if the page were there."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        done = subprocess.run([sys.executable, "-m", "nncalc.cli", "serve", "--port", str(port)],
                              capture_output=True, text=True, env=env, timeout=30)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (f"nncalc: port {port} is in use on 127.0.0.1 (another nncalc serve?); choose "
                                   "another with --port N")
