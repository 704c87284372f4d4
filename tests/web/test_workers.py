"""The web server's worker pool (nncalc.web.workers): a request its worker cannot finish in time is answered
422 and the worker replaced, so the next request is analysed as usual; a closed pool answers what was in flight
with 503 and starts again when asked."""

from __future__ import annotations

import signal
import threading
import time

from conftest import seed

from nncalc.web import workers

HIDDEN_COMPARISON = "t = ()\nu = ()\nfor _ in range(100):\n    t = (t, t)\n    u = (u, u)\nb = max([t, u], key=lambda v: v)\n"


def test_a_request_past_the_time_limit_gets_422_and_the_next_one_is_served():
    pool = workers.WorkerPool(size=1, max_seconds=1.5)
    try:
        start = time.monotonic()
        status, body = pool.analyze({"code": HIDDEN_COMPARISON, "filename": "hidden.py"})
        assert time.monotonic() - start < 1.5 + 1.5
        assert status == 422 and body["kind"] == "LimitExceeded" and "took more than 1.5 s" in body["message"]
        status, body = pool.analyze({"code": seed("keras")})
        assert status == 200 and body["total_params"] == 404_218
    finally:
        pool.close()


def test_closing_the_pool_answers_the_request_in_flight():
    pool = workers.WorkerPool(size=1, max_seconds=30)
    answers = []
    request = threading.Thread(target=lambda: answers.append(pool.analyze({"code": HIDDEN_COMPARISON})))
    try:
        pool.start()
        request.start()
        time.sleep(1.0)
        pool.close()
        request.join(timeout=5)
        assert answers and answers[0][0] == 503
        assert pool.analyze({"code": seed("torch")})[1]["total_params"] == 404_218  # started again
    finally:
        pool.close()


def test_how_a_worker_died_is_told():
    assert "crashed (SIGSEGV)" in workers._died(-signal.SIGSEGV, 5, 1 << 29, "m.py")["message"]
    assert "took more than 5 s" in workers._died(-signal.SIGXCPU, 5, 1 << 29, "m.py")["message"]
    assert "512 MiB of memory" in workers._died(-signal.SIGKILL, 5, 1 << 29, "m.py")["message"]
