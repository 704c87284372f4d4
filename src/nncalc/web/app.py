"""The FastAPI application: the page, its static files, and the JSON API (``/api/…``, spec at ``/openapi.json``).

Analyses run in a pool of worker processes (:mod:`nncalc.web.workers`), each under
:data:`~nncalc.web.limits.WEB_LIMITS` and OS limits: the server itself never interprets a request, so no
request can freeze, crash or bloat it. The pasted code is interpreted, never executed. A user's error is a
400 or 422 with the message, the line and the hint; nothing the server knows about itself (paths,
tracebacks) reaches a response.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from importlib import resources
from typing import Optional

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from nncalc.errors import InputError
from nncalc.notebook import notebook_script
from nncalc.web.limits import MAX_BODY_BYTES, MAX_SOURCE_CHARS
from nncalc.web.workers import WorkerPool

log = logging.getLogger("nncalc.web")
_STATIC = resources.files("nncalc.web") / "static"
_EXAMPLES = resources.files("nncalc.web") / "examples"


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


class NotebookRequest(BaseModel):
    """A Jupyter notebook's JSON text, as its file holds it."""

    code: str = Field(..., max_length=MAX_SOURCE_CHARS, description="the .ipynb file's text")
    filename: str = Field("notebook.ipynb", max_length=100, description="the notebook's name, e.g. nb.ipynb")


class NotebookScript(BaseModel):
    """The notebook's code cells as one Python script (percent format), to show, edit and analyse."""

    code: str
    filename: str = Field(description="the script's name: the notebook's with .py for .ipynb")


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


def create_app(workers: int | None = None) -> FastAPI:
    """The application, with the body-size limit in front of it and a pool of ``workers`` worker processes
    (one per CPU core, at least two, by default) started with it and stopped with it."""
    pool = WorkerPool(workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        pool.start()
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(
        lifespan=lifespan,
        title="nncalc",
        summary="Output shapes, parameters with their formulas, MACs and memory of PyTorch and Keras models, "
        "read from source without running it.",
        version=_version(),
        docs_url=None,  # Swagger UI would come from a CDN; the page works offline (the spec: /openapi.json)
        redoc_url=None,
    )
    app.state.pool = pool
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
                         429: {"model": ErrorBody}, 500: {"model": ErrorBody}, 503: {"model": ErrorBody}})
    def analyze_endpoint(request: AnalyzeRequest):
        """Analyse a model's source statically: per-layer rows, totals, formulas (text and LaTeX), the JSON
        report, Markdown and LaTeX exports and an SVG diagram. The source is interpreted, never executed."""
        status, body = pool.analyze(request.model_dump())
        return JSONResponse(body, status_code=status)

    @app.post("/api/notebook", response_model=NotebookScript,
              responses={400: {"model": ErrorBody}, 413: {"model": ErrorBody}, 422: {"model": ErrorBody}})
    def notebook_endpoint(request: NotebookRequest):
        """A notebook's code cells as one script: ``# %% [cell N]`` before each cell, IPython's own lines
        (``%matplotlib``, ``!pip``) replaced by ``pass`` with the original in a comment."""
        try:
            script = notebook_script(request.code, request.filename)
        except InputError as err:
            return _error(400, "InputError", str(err))
        stem = request.filename[:-len(".ipynb")] if request.filename.endswith(".ipynb") else request.filename
        return {"code": script, "filename": stem + ".py"}

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
