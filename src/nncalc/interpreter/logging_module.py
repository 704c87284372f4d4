"""``import logging`` for user code: loggers that log nothing.

A model file or a library logs (``logger = logging.getLogger(__name__)``, ``logger.info(...)``,
``logging.basicConfig(level=logging.INFO)``); none of it changes the model, and nncalc writes nothing. Each
run gets fresh loggers (``getLogger`` returns the same one per name within a run); levels and handlers are kept
so code that reads them back sees what it set, but no record is ever emitted (``isEnabledFor`` is False).
"""

from __future__ import annotations

LEVELS = {"CRITICAL": 50, "FATAL": 50, "ERROR": 40, "WARNING": 30, "WARN": 30, "INFO": 20, "DEBUG": 10, "NOTSET": 0}


def _nothing(*args, **kwargs) -> None:
    return None


class Handler:
    """``logging.Handler`` and its kinds (``StreamHandler``, ``FileHandler`` …): nothing is opened or written."""

    def __init__(self, *args, **kwargs):
        self.level = kwargs.get("level", 0)
        self.formatter = None

    def setLevel(self, level) -> None:
        self.level = level

    def setFormatter(self, formatter) -> None:
        self.formatter = formatter

    addFilter = removeFilter = flush = close = emit = handle = _nothing


class Formatter:
    """``logging.Formatter``: its arguments are kept, nothing is formatted."""

    def __init__(self, fmt=None, datefmt=None, *args, **kwargs):
        self.fmt, self.datefmt = fmt, datefmt


class Filter:
    """``logging.Filter``: kept, never consulted (nothing is emitted)."""

    def __init__(self, name: str = ""):
        self.name = name

    def filter(self, record) -> bool:
        return True


class Logger:
    """A logger that never emits: every logging method returns None."""

    def __init__(self, name: str, level: int = 0):
        self.name, self.level = name, level
        self.handlers: list = []
        self.propagate, self.disabled = True, False

    def setLevel(self, level) -> None:
        self.level = LEVELS.get(level, level) if isinstance(level, str) else level

    def getEffectiveLevel(self) -> int:
        return self.level or LEVELS["WARNING"]

    def isEnabledFor(self, level) -> bool:
        return False

    def addHandler(self, handler) -> None:
        self.handlers.append(handler)

    def removeHandler(self, handler) -> None:
        if handler in self.handlers:
            self.handlers.remove(handler)

    def hasHandlers(self) -> bool:
        return bool(self.handlers)

    def getChild(self, suffix: str) -> "Logger":
        return Logger(f"{self.name}.{suffix}")

    debug = info = warning = warn = error = exception = critical = fatal = log = _nothing
    addFilter = removeFilter = _nothing
    # what libraries add to their loggers (transformers' warning_once, warning_advice)
    warning_once = info_once = warning_advice = _nothing

    def __repr__(self) -> str:
        return f"<Logger {self.name} (nncalc: logs nothing)>"


def logging_namespace() -> dict:
    """A fresh ``logging`` module's names for one run."""
    loggers: dict[str, Logger] = {}
    root = Logger("root", LEVELS["WARNING"])

    def getLogger(name: str | None = None) -> Logger:
        if not name or name == "root":
            return root
        if name not in loggers:
            loggers[name] = Logger(name)
        return loggers[name]

    def basicConfig(**kwargs) -> None:
        if "level" in kwargs:
            root.setLevel(kwargs["level"])

    def getLevelName(level):
        names = {value: name for name, value in LEVELS.items() if name not in ("FATAL", "WARN")}
        return names.get(level, LEVELS.get(level, f"Level {level}"))

    handlers = {name: type(name, (Handler,), {}) for name in
                ("StreamHandler", "FileHandler", "NullHandler", "RotatingFileHandler", "TimedRotatingFileHandler")}
    return {
        **LEVELS, **handlers, "Handler": Handler, "Formatter": Formatter, "Logger": Logger, "root": root,
        "getLogger": getLogger, "basicConfig": basicConfig, "getLevelName": getLevelName,
        "debug": _nothing, "info": _nothing, "warning": _nothing, "warn": _nothing, "error": _nothing,
        "exception": _nothing, "critical": _nothing, "log": _nothing, "disable": _nothing,
        "captureWarnings": _nothing, "Filter": Filter, "LoggerAdapter": lambda logger, extra=None: logger,
    }
