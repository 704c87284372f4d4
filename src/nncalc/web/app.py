"""The FastAPI application: the page, its static files, and the JSON API (``/api/…``, spec at ``/openapi.json``).

Analyses run one at a time (the interpreter keeps its budget and the current source location in module
state) under :data:`~nncalc.web.limits.WEB_LIMITS`. The pasted code is interpreted, never executed. A
user's error is a 400 or 422 with the message, the line and the hint; nothing the server knows about itself
(paths, tracebacks) reaches a response.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from importlib import resources
from typing import Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from nncalc.web.limits import MAX_BODY_BYTES, MAX_SOURCE_CHARS, WAIT_SECONDS, WEB_LIMITS

log = logging.getLogger("nncalc.web")
_STATIC = resources.files("nncalc.web") / "static"
_EXAMPLES = resources.files("nncalc.web") / "examples"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.<>\- ]")
_LOCK = threading.Lock()


class AnalyzeRequest(BaseModel):
    """A model's source and how to read it."""

    code: str = Field(..., max_length=MAX_SOURCE_CHARS, description="the model's Python source (never executed)")
    filename: str = Field("<pasted>", max_length=100, description="the name used in messages, e.g. model.py")
    input_shape: Optional[str] = Field(
        None, max_length=200,
        description="input shape without the batch, e.g. 3,32,32; several inputs separated by ';'",
    )
    batch: Optional[int] = Field(None, ge=1, le=1_000_000, description="batch size (PyTorch default 1, Keras None)")
    model: Optional[str] = Field(None, max_length=200, description="the module-level name of the model")
    expand: Optional[list[str]] = Field(
        None, max_length=2000,
        description="the blocks (module names) the diagram draws open; omitted: opened while the drawing is small",
    )


class Row(BaseModel):
    index: int
    label: str
    short: str = Field(description="the label without the dotted path of the row it sits in")
    parent: int = Field(description="the index of the row this one sits in (-1: the model)")
    name: str
    type: str
    depth: int
    is_leaf: bool
    output_shape: str
    params: str
    macs: str
    memory: str
    formula: str
    latex: list[str]
    line: Optional[int]
    shared: bool
    supported: bool


class Total(BaseModel):
    label: str
    value: str


class Exports(BaseModel):
    markdown: str
    latex: str
    json_document: str = Field(alias="json")


class AnalyzeResult(BaseModel):
    """The analysed model: rows and totals as shown, the JSON report, the exports and the diagram."""

    ok: bool
    framework: str
    model: str
    total_params: int
    rows: list[Row]
    open_depth: int = Field(description="the tree depth the table shows open at first")
    totals: list[Total]
    total_latex: str
    total_latex_narrow: str = Field(description="total_latex wrapped for a phone's width")
    notes: list[str]
    report: dict = Field(description="the documented JSON document (docs/json.md)")
    exports: Exports
    svg: str
    diagram_open: list[str] = Field(description="the blocks drawn open in svg (send them back as expand)")
    summary: str


class ErrorBody(BaseModel):
    """Why the source could not be analysed, and where."""

    ok: bool = False
    kind: str = Field(description="ShapeError, SyntaxProblem, LimitExceeded, RequestTooLarge, InvalidRequest, …")
    message: str
    hint: Optional[str] = None
    line: Optional[int] = None
    column: Optional[int] = None
    text: str


class Example(BaseModel):
    name: str
    filename: str
    code: str


def _error(status: int, kind: str, message: str, **extra) -> JSONResponse:
    body = {"ok": False, "kind": kind, "message": message, "hint": None, "line": None, "column": None,
            "text": message}
    body.update(extra)
    return JSONResponse(body, status_code=status)


class BodyLimit:
    """ASGI middleware: a request body over ``limit`` bytes gets 413 before the application sees it."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await self._too_large(scope, receive, send)
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.limit:
                return await self._too_large(scope, receive, send)
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, scope, receive, send):
        response = _error(413, "RequestTooLarge",
                          f"the request is larger than {self.limit:,} bytes; nncalc's page reads models up to that size")
        await response(scope, receive, send)


def _shapes(text: Optional[str]):
    """``"3,32,32"`` → ``[(3, 32, 32)]``; several inputs separated by ``;``; None when empty."""
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


def _display_name(name: str) -> str:
    base = _SAFE_NAME.sub("_", os.path.basename(name.replace("\\", "/"))).strip()
    return base or "<pasted>"


def analyze_request(request: AnalyzeRequest) -> tuple[int, dict]:
    """Run the static analysis for one request; (HTTP status, body). Never raises."""
    from nncalc.analysis import split_dtype, trace
    from nncalc.directives import parse_input_shapes, parse_set, read_directives
    from nncalc.errors import InputError, LimitExceeded, NncalcError
    from nncalc.report import build_report
    from nncalc.web.payload import error_payload, report_payload

    filename = _display_name(request.filename)
    from_file = False
    code = request.code if request.code.endswith("\n") else request.code + "\n"  # text, never a path
    try:
        code.encode("utf-8")
        found = read_directives(code)  # the file's `# nncalc:` lines, as `check` and the CLI read them
        shapes = _shapes(request.input_shape)
        from_file = shapes is None and "input-shape" in found
        if from_file:
            shapes = parse_input_shapes(found["input-shape"])
        dtype = found.get("dtype")
        graph = trace(code, input_shapes=shapes, batch=request.batch, model=request.model or found.get("model"),
                      dtype=dtype, filename=filename, limits=WEB_LIMITS, set_values=parse_set(found.get("set", [])))
        report = build_report(graph, split_dtype(dtype)[1])
        return 200, report_payload(report, request.expand, shape_from_file=from_file)
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


def create_app() -> FastAPI:
    """The application, with the body-size limit in front of it."""
    app = FastAPI(
        title="nncalc",
        summary="Output shapes, parameters with their formulas, MACs and memory of PyTorch and Keras models, "
        "read from source without running it.",
        version=_version(),
        docs_url=None,  # Swagger UI would come from a CDN; the page works offline (the spec: /openapi.json)
        redoc_url=None,
    )
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    app.mount("/static", StaticFiles(directory=str(_STATIC)), name="static")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'body'}: {e.get('msg')}"
                             for e in exc.errors()[:5])
        return _error(422, "InvalidRequest", f"invalid request: {problems}")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        response = _error(exc.status_code, "InvalidRequest" if exc.status_code < 500 else "ServerError", str(exc.detail))
        response.headers.update(exc.headers or {})  # 405's Allow
        return response

    @app.get("/", include_in_schema=False)
    def page():
        return FileResponse(str(_STATIC / "index.html"), media_type="text/html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return FileResponse(str(_STATIC / "favicon.ico"), media_type="image/vnd.microsoft.icon")

    @app.post("/api/analyze", response_model=AnalyzeResult,
              responses={400: {"model": ErrorBody}, 413: {"model": ErrorBody}, 422: {"model": ErrorBody},
                         429: {"model": ErrorBody}, 500: {"model": ErrorBody}})
    def analyze_endpoint(request: AnalyzeRequest):
        """Analyse a model's source statically: per-layer rows, totals, formulas (text and LaTeX), the JSON
        report, Markdown and LaTeX exports and an SVG diagram. The source is interpreted, never executed."""
        if not _LOCK.acquire(timeout=WAIT_SECONDS):
            return _error(429, "Busy", "another analysis is still running; try again in a moment")
        try:
            status, body = analyze_request(request)
        finally:
            _LOCK.release()
        return JSONResponse(body, status_code=status)

    @app.get("/api/examples", response_model=list[Example])
    def examples():
        """The seed's two models, as one-click examples."""
        return [
            {"name": "Keras seed", "filename": "simple_cnn_keras.py",
             "code": (_EXAMPLES / "simple_cnn_keras.py").read_text(encoding="utf-8")},
            {"name": "PyTorch seed", "filename": "simple_cnn_torch.py",
             "code": (_EXAMPLES / "simple_cnn_torch.py").read_text(encoding="utf-8")},
        ]

    return app


def _version() -> str:
    from nncalc import __version__

    return __version__
