"""Fixtures of the web tests: the application, a live server on a free port, and Debian's chromium.

These tests need the ``web-test`` extra and a chromium binary; they are not collected by the main test run
(``norecursedirs`` in pyproject.toml) and fail loudly here when something is missing, never skip.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from nncalc.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
EXAMPLES = ROOT / "examples"


def seed(framework: str) -> str:
    """The seed's model source (examples/simple_cnn_keras.py or simple_cnn_torch.py)."""
    return (EXAMPLES / f"simple_cnn_{framework}.py").read_text(encoding="utf-8")


def latex_sum(tex: str) -> int:
    """The value of the numbers line of a folded sum (``total_latex``, a module's first ``latex`` block):
    the lines between the names and the result, ``5 \\times 1{,}117{,}184`` multiplied out, ``-`` subtracted."""
    lines = [line.replace("&=", "").replace(r"&\quad", "").strip()
             for line in tex.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}").split(r" \\ ")]
    numbers = [line for line in lines[1:-1] if r"\text" not in line]
    total = 0
    for sign, factor, value in re.findall(r"([+-]?)\s*(?:(\d+) \\times )?(\d[\d{},]*)", " ".join(numbers)):
        total += (-1 if sign == "-" else 1) * int(factor or 1) * int(re.sub(r"\D", "", value))
    return total


def latex_result(tex: str) -> int:
    """The last line of a folded sum: its result."""
    return int(re.sub(r"\D", "", tex.removesuffix(r"\end{aligned}").split(r" \\ ")[-1]))


@pytest.fixture(scope="session")
def app():
    return create_app()


@pytest.fixture(scope="session")
def client(app):
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(app):
    """``nncalc serve``'s application under uvicorn in a thread; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def chromium_path() -> str:
    """Debian's chromium (or NNCALC_CHROMIUM); a missing browser fails the run, it is never skipped."""
    path = os.environ.get("NNCALC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"chromium not found at {path}: apt-get install -y chromium (or set NNCALC_CHROMIUM)")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda err: problems.append(str(err)))
    page.goto(live_server + "/")
    page.wait_for_selector("body[data-ready=true]")
    yield page
    context.close()
    assert not problems, f"JavaScript errors on the page: {problems}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
