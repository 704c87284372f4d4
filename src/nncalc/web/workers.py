"""The web server's analyses run in a pool of worker processes, each request under the page's limits.

The server itself never interprets a request's source: it hands the request to an idle worker and waits. A
worker is a process forked from multiprocessing's fork server (a clean, single-threaded process that has
imported nncalc; never a fork of the server's threads) and runs with

* ``RLIMIT_AS`` / ``RLIMIT_DATA``: its address space may grow by :data:`WORKER_MEMORY` beyond its start;
* ``RLIMIT_CORE`` 0;
* per request, ``RLIMIT_CPU`` at the CPU time it has used plus the page's ``max_seconds`` and a second;
* the interpreter's budgets of :data:`~nncalc.web.limits.WEB_LIMITS` (nearly every file ends there, with its line).

The server waits ``max_seconds`` + :data:`~nncalc.contain.GRACE_SECONDS` for the answer. A worker that does not
answer in time is killed; one that dies (a crash, the memory limit) is noticed by its closed pipe; either is
replaced and the request gets 422 ``LimitExceeded``. A worker whose resident memory has grown past
:data:`RETIRE_BYTES` retires after answering, so the workers' memory stays flat under any sequence of requests.
The pool has one worker per CPU core (at least two, so that one slow request never queues the others); a
request waits at most :data:`~nncalc.web.limits.WAIT_SECONDS` for a worker, then gets 429.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading

from nncalc.web.limits import MAX_WORKER_MEMORY, WAIT_SECONDS, WEB_LIMITS

log = logging.getLogger("nncalc.web")
WORKER_MEMORY = MAX_WORKER_MEMORY
RETIRE_BYTES = 160 * 1024 * 1024
"""Resident memory after which a worker is replaced once it has answered."""
_PRELOAD = ["nncalc.web.workers", "nncalc.frameworks.torch", "nncalc.frameworks.keras"]


def analyze_request(request: dict) -> tuple[int, dict]:
    """Run the static analysis for one request (``code``, ``filename``, ``input_shape``, ``batch``, ``model``,
    ``expand``); (HTTP status, body). Never raises."""
    from nncalc.analysis import split_dtype, trace
    from nncalc.directives import parse_input_shapes, parse_set, read_directives
    from nncalc.errors import InputError, LimitExceeded, NncalcError
    from nncalc.report import build_report
    from nncalc.web.payload import error_payload, report_payload

    filename = display_name(request.get("filename") or "<pasted>")
    from_file = False
    code = request["code"] if request["code"].endswith("\n") else request["code"] + "\n"  # text, never a path
    try:
        code.encode("utf-8")
        found = read_directives(code)  # the file's `# nncalc:` lines, as `check` and the CLI read them
        shapes = parse_shapes(request.get("input_shape"))
        from_file = shapes is None and "input-shape" in found
        if from_file:
            shapes = parse_input_shapes(found["input-shape"])
        dtype = found.get("dtype")
        graph = trace(code, input_shapes=shapes, batch=request.get("batch"),
                      model=request.get("model") or found.get("model"), dtype=dtype, filename=filename,
                      limits=WEB_LIMITS, set_values=parse_set(found.get("set", [])))
        report = build_report(graph, split_dtype(dtype)[1])
        return 200, report_payload(report, request.get("expand"), shape_from_file=from_file)
    except UnicodeEncodeError:
        return 400, error_payload(InputError("the source is not valid Unicode text"), filename)
    except LimitExceeded as err:
        err.hint = (f"the page allows {WEB_LIMITS.max_seconds:g} s and {WEB_LIMITS.max_steps:,} steps per analysis; "
                    "`nncalc summary FILE` on the command line allows more (docs/limits.md)")
        return 422, error_payload(err, filename)
    except NncalcError as err:
        return 400, error_payload(err, filename, shape_from_file=from_file)
    except (RecursionError, MemoryError):
        return 422, error_payload(LimitExceeded("the source nests too deeply or needs too much memory"), filename)
    except Exception:  # nncalc's own bug: logged here, never shown (it could name server paths)
        log.exception("internal error while analysing %s", filename)
        return 500, error_payload(NncalcError("internal error of nncalc; please report it"), filename)


def display_name(name: str) -> str:
    """The file name messages give the source: a base name of safe characters, ``<pasted>`` when none."""
    import re

    base = re.sub(r"[^A-Za-z0-9_.<>\- ]", "_", os.path.basename(name.replace("\\", "/"))).strip()
    return base or "<pasted>"


def parse_shapes(text: str | None):
    """``"3,32,32"`` → ``[(3, 32, 32)]``; several inputs separated by ``;``; None when empty."""
    import re

    from nncalc.errors import InputError

    if text is None or not text.strip():
        return None
    shapes = []
    for part in text.split(";"):
        dims = [d for d in re.split(r"[,x×\s]+", part.strip()) if d]
        if not dims or not all(d.isdigit() and len(d) < 10 and int(d) > 0 for d in dims):
            raise InputError(f"input shape {part.strip()!r} is not a shape of positive sizes; write it like 3,32,32")
        shapes.append(tuple(int(d) for d in dims))
    return shapes


# ----- the pool (in the server) ------------------------------------------------------------------------------
class WorkerPool:
    """Idle workers, handed to one request at a time; thread-safe (the server answers from a thread pool)."""

    def __init__(self, size: int | None = None, max_seconds: float = WEB_LIMITS.max_seconds,
                 max_memory: int = WORKER_MEMORY):
        self.size = size or max(2, os.cpu_count() or 1)
        self.max_seconds = max_seconds
        self.max_memory = max_memory
        self._idle: queue.Queue = queue.Queue()
        self._all: set = set()
        self._lock = threading.Lock()
        self._started = False
        self._generation = 0
        """How often the pool was closed: a request that began before a close was cut short by it."""

    def start(self) -> None:
        """Start the fork server and the workers (the first request does it otherwise; again after close)."""
        with self._lock:
            if self._started:
                return
            self._started = True
            generation = self._generation
        for _ in range(self.size):
            worker = self._spawn()
            if generation == self._generation:
                self._idle.put(worker)

    def analyze(self, request: dict) -> tuple[int, dict]:
        """(status, body) for one request: an idle worker's answer, 422 when the worker had to be stopped, 429
        when none became idle within ``WAIT_SECONDS``."""
        self.start()
        generation = self._generation
        try:
            worker = self._idle.get(timeout=WAIT_SECONDS)
        except queue.Empty:
            return 429, _error_body("Busy", "the server's workers are all busy; try again in a moment")
        keep = False
        try:
            status, body, keep = worker.run(request, self.max_seconds, self.max_memory)
            if generation != self._generation:  # the worker was stopped with the pool, not by the request
                status, body, keep = 503, _error_body("Stopping", "the server is stopping"), False
        finally:
            if keep:
                self._idle.put(worker)
            else:
                self._retire(worker)
                if generation == self._generation:
                    self._idle.put(self._spawn())
        return status, body

    def close(self) -> None:
        """Stop every worker (a request being analysed gets 503 at once: its worker's pipe closes). A later
        request, or :meth:`start`, starts new ones."""
        with self._lock:
            self._generation += 1
            self._started = False
            workers = list(self._all)
            while not self._idle.empty():
                self._idle.get_nowait()
        for worker in workers:
            self._retire(worker)

    def _spawn(self) -> _Worker:
        worker = _Worker(self.max_memory)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()


def _context():
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


class _Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, max_memory: int):
        context = _context()
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, max_memory), daemon=True, name="nncalc-worker")
        self.process.start()
        child.close()
        self._stopping = threading.Lock()
        self._stopped = False

    def run(self, request: dict, max_seconds: float, max_memory: int) -> tuple[int, dict, bool]:
        """(status, body, keep the worker)."""
        from nncalc.contain import GRACE_SECONDS

        filename = display_name(request.get("filename") or "<pasted>")
        try:
            self.conn.send_bytes(json.dumps(request).encode("utf-8"))
            if not self.conn.poll(max_seconds + GRACE_SECONDS):
                return 422, _stopped(f"the analysis took more than {max_seconds:g} s", filename), False
            reply = json.loads(self.conn.recv_bytes())
        except (EOFError, OSError, ValueError):
            self.process.join(1)
            return 422, _died(self.process.exitcode, max_seconds, max_memory, filename), False
        return reply["status"], reply["body"], not reply["retire"]

    def stop(self) -> None:
        """Kill the process and close the pipe, once: the pool's ``close`` and the request that saw its worker
        end may both retire it at the same moment."""
        with self._stopping:
            if self._stopped:
                return
            self._stopped = True
        if self.process.is_alive():
            self.process.kill()
        self.process.join(2)
        self.conn.close()


def _error_body(kind: str, message: str) -> dict:
    return {"ok": False, "kind": kind, "message": message, "hint": None, "line": None, "column": None,
            "text": message}


def _stopped(what: str, filename: str) -> dict:
    from nncalc.errors import LimitExceeded
    from nncalc.web.payload import error_payload

    body = error_payload(LimitExceeded(f"{what}; nncalc stopped it"), filename)
    body["hint"] = "the page's limits are tighter than the command line's: `nncalc summary FILE` allows more"
    return body


def _died(exitcode: int | None, max_seconds: float, max_memory: int, filename: str) -> dict:
    import signal

    from nncalc.contain import describe_bytes

    if exitcode == -signal.SIGXCPU:
        return _stopped(f"the analysis took more than {max_seconds:g} s", filename)
    if exitcode is not None and -exitcode in (signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT, signal.SIGILL):
        return _stopped(f"the analysis crashed ({signal.Signals(-exitcode).name}) in Python's own C code, most "
                        "likely on data nested too deeply for it", filename)
    # the out-of-memory killer's SIGKILL, or a MemoryError with no memory left to answer it
    return _stopped(f"the analysis needed more than {describe_bytes(max_memory)} of memory", filename)


# ----- the worker (in its own process) -----------------------------------------------------------------------
def _serve(conn, max_memory: int) -> None:
    """A worker's life: set its limits, then answer requests until the server closes the pipe."""
    import resource
    import warnings

    from nncalc.contain import GRACE_SECONDS, address_space, describe_bytes
    from nncalc.interpreter import limits
    from nncalc.interpreter.limits import resident_bytes

    warnings.simplefilter("ignore")
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    size = address_space()
    if size is not None:
        for kind in (resource.RLIMIT_AS, getattr(resource, "RLIMIT_DATA", None)):
            if kind is not None:
                hard = resource.getrlimit(kind)[1]
                soft = size + max_memory if hard == resource.RLIM_INFINITY else min(size + max_memory, hard)
                resource.setrlimit(kind, (soft, hard))
    limits.set_default_limits(WEB_LIMITS)
    limits.memory_limit_text = describe_bytes(max_memory)
    start = resident_bytes() or 0
    cpu_budget = int(WEB_LIMITS.max_seconds + GRACE_SECONDS) + 2
    while True:
        try:
            request = json.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        used = resource.getrusage(resource.RUSAGE_SELF)
        resource.setrlimit(resource.RLIMIT_CPU, (int(used.ru_utime + used.ru_stime) + cpu_budget,
                                                 resource.RLIM_INFINITY))
        try:
            status, body = analyze_request(request)
        except MemoryError:
            status, body = 422, _stopped(f"the analysis needed more than {describe_bytes(max_memory)} of memory",
                                         display_name(request.get("filename") or "<pasted>"))
        retire = (resident_bytes() or 0) - start > RETIRE_BYTES
        conn.send_bytes(json.dumps({"status": status, "body": body, "retire": retire}).encode("utf-8"))
        if retire:
            return
