"""The command line's arguments: ``nncalc``'s parser and the types of its options (imported only when a
command is not replayed from the cache, see :mod:`nncalc.result_cache`)."""

from __future__ import annotations

import argparse
import functools
import os
import sys


def _shape(text: str) -> tuple:
    """``3,32,32``, ``3x32x32``, ``(3, 32, 32)`` or ``[3, 32, 32]``; ``()`` is one number per sample (a diffusion
    model's timestep, shape ``(batch,)``)."""
    inner = text.strip()
    if inner.replace(" ", "") in ("()", "[]"):
        return ()
    if inner[:1] + inner[-1:] in ("()", "[]"):
        inner = inner[1:-1]
    try:
        dims = tuple(int(part) for part in inner.replace("x", ",").replace("×", ",").split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a shape; write it like 3,32,32") from None
    if not dims or any(d < 1 for d in dims):
        raise argparse.ArgumentTypeError(f"{text!r} is not a shape of positive sizes; write it like 3,32,32")
    return dims


_SIZE_UNITS = {"": 1 << 20, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def _memory_size(text: str) -> int:
    """``--max-memory``: ``2G``, ``512M``, ``1.5GiB``; a bare number is MiB."""
    import re

    match = re.fullmatch(r"\s*(\d+(?:\.\d*)?)\s*([kmg]?)(?:i?b)?\s*", text, re.IGNORECASE)
    value = float(match[1]) * _SIZE_UNITS[match[2].lower()] if match else 0
    if not 64 * (1 << 20) <= value < 1 << 50:
        raise argparse.ArgumentTypeError(f"{text!r} is not a memory size from 64M up; write it like 2G or 512M")
    return int(value)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 1e6:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds; write it like 60")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, sized from ``os`` instead of ``shutil``: argparse makes a formatter for every
    argument it adds, and ``shutil`` imports the compression modules, milliseconds of every start."""

    def __init__(self, prog: str, *args, **kwargs):
        if not args and kwargs.get("width") is None:
            columns = os.environ.get("COLUMNS", "")
            try:
                width = int(columns) if columns.isdigit() else os.get_terminal_size(sys.__stdout__.fileno()).columns
            except (AttributeError, OSError, ValueError):
                width = 0
            kwargs["width"] = (width or 80) - 2
        super().__init__(prog, *args, **kwargs)


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """``nncalc``'s argument parser: its commands and their options; with ``command`` (the first argument), only
    that command's options when it is one (a parser with every option costs milliseconds of every start)."""
    from nncalc import __version__

    parser = argparse.ArgumentParser(
        prog="nncalc",
        formatter_class=_HelpFormatter,
        description="Output shapes, parameters (with their formulas) and totals of PyTorch and Keras models, "
        "read from source without running it.",
    )
    parser.add_argument("--version", action="version", version=f"nncalc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                parser_class=functools.partial(argparse.ArgumentParser, formatter_class=_HelpFormatter))

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("file", help="a Python file with a PyTorch or Keras model (a bare snippet is fine; - reads "
                       "standard input)")
        p.add_argument("--input-shape", type=_shape, action="append", metavar="C,H,W",
                       help="input shape without the batch, e.g. 3,32,32 (repeat for several inputs; default: the file's "
                       "'# nncalc: input-shape' line)")
        p.add_argument("--batch", type=_positive, help="batch size (PyTorch default 1, Keras None)")
        p.add_argument("--unbatched", action="store_true",
                       help="PyTorch: forward takes its inputs without a batch dimension (a graph network's (N, F) "
                       "node features): --input-shape is each input's whole shape")
        p.add_argument("--seq-len", type=_positive, metavar="N",
                       help="the size of the input's unknown lengths (keras.Input(shape=(None, 8))); without it "
                       "MACs, activations and memory are per step")
        p.add_argument("--params-only", action="store_true",
                       help="PyTorch: the parameters of the module tree without running forward (like torchinfo "
                       "without an input): no output shapes, MACs or activation memory")
        p.add_argument("--model", help="the model: a module-level name (a model, a model class, a function returning "
                       "one), a Python expression such as \"VGG('VGG19')\", or in a notebook NAME@CELL")
        p.add_argument("--dtype", metavar="TYPE",
                       help="int64/int32: the input holds token indices; fp32 (default), fp16, bf16, int8, int4: "
                       "the weights' precision for the memory estimates; float32,int64: one dtype per input")
        p.add_argument("--optimizer", choices=["sgd", "momentum", "adam", "adamw"], default="adam",
                       help="optimizer for the training memory estimate (default adam)")
        p.add_argument("--amp", action="store_true", help="training memory with mixed precision")
        p.add_argument("--no-cache", action="store_true",
                       help="analyse again even when the same command ran before on unchanged files (or set "
                       "NNCALC_NO_CACHE=1)")
        p.add_argument("--run", action="store_true",
                       help="EXECUTE the file with the real PyTorch/Keras (it must be installed) and summarise the "
                       "live model, for models too dynamic to read; without --run nothing in the file is executed")
        p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                       help="give a module-level name the file cannot compute a value, e.g. --set num_classes=10 "
                       "or --set args.epochs=1 (repeatable; also '# nncalc: set NAME=VALUE' in the file)")
        p.add_argument("--root", metavar="DIR",
                       help="the project root the file's imports are read from (default: the nearest folder upward "
                       "with pyproject.toml, setup.py, setup.cfg or .git, else the file's folder)")
        p.add_argument("--source-path", action="append", default=[], metavar="PATH",
                       help="a folder or .whl holding library sources to read (torchvision, timm …), before "
                       "site-packages; repeatable; also NNCALC_SOURCE_PATH")
        p.add_argument("--verbose", "-v", action="store_true",
                       help="also list the statements of the script that nncalc skipped, and why")
        p.add_argument("--debug", action="store_true", help="show Python tracebacks of internal errors")
        limit_options(p)

    def limit_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--max-memory", type=_memory_size, metavar="SIZE",
                       help="memory the analysis may use, e.g. 2G or 512M (default 1G; docs/limits.md)")
        p.add_argument("--max-seconds", type=_seconds, metavar="N",
                       help="seconds the analysis may take (default 30; per file for check)")

    def summary_command() -> None:
        summary = sub.add_parser("summary", help="per-layer table: output shape, params, formula; totals")
        common(summary)
        summary.add_argument("--format", choices=["table", "json", "markdown", "html"], default="table")
        summary.add_argument("--depth", type=_positive,
                             help="show the module tree down to this depth, with subtotals")
        summary.add_argument("--fold", action="store_true",
                             help="fold identical consecutive blocks into one row (× N)")
        summary.add_argument("--width", type=_positive, metavar="N",
                             help="table width in columns (default: the terminal's; 120 when piped)")
        summary.add_argument("--columns", metavar="A,B,…",
                             help="table columns from input_shape, output_shape, params, trainable, formula, macs, "
                             "flops, activations, rf (default output_shape,params,formula)")

    def explain_command() -> None:
        explain = sub.add_parser("explain", help="the worked calculation: formulas substituted step by step")
        common(explain)
        explain.add_argument("--format", choices=["text", "markdown", "latex"], default="text")
        explain.add_argument("--standalone", action="store_true",
                             help="with --format latex: a whole document (\\documentclass … \\end{document}) that "
                             "pdflatex compiles")

    def check_command() -> None:
        check = sub.add_parser("check", help="every shape error of every model in the files, with line and fix")
        check.add_argument("files", nargs="+", metavar="FILE", help="Python files with PyTorch or Keras models")
        check.add_argument("--input-shape", type=_shape, action="append", metavar="C,H,W",
                           help="input shape without the batch (default: the file's '# nncalc: input-shape', else "
                           "inferred for PyTorch)")
        check.add_argument("--model", help="check only this module-level model, model class or function")
        check.add_argument("--dtype", metavar="TYPE", help="int64/int32: the input holds token indices")
        check.add_argument("--format", choices=["text", "json", "github"], default="text",
                           help="text, json (for editors and bots) or github (workflow annotations)")
        check.add_argument("--debug", action="store_true", help="show Python tracebacks of internal errors")
        limit_options(check)

    def convert_command() -> None:
        convert = sub.add_parser("convert", help="write the model as code for the other framework (PyTorch ↔ Keras)")
        convert.add_argument("file", help="a Python file with a PyTorch or Keras model")
        convert.add_argument("--to", required=True, choices=["pytorch", "torch", "keras"], help="the target framework")
        convert.add_argument("-o", "--output", metavar="OUT", help="write the code to OUT (default: standard output)")
        convert.add_argument("--input-shape", type=_shape, action="append", metavar="C,H,W",
                             help="input shape without the batch (PyTorch files: default inferred)")
        convert.add_argument("--model", help="the module-level name of the model, model class or function")
        convert.add_argument("--debug", action="store_true", help="show Python tracebacks of internal errors")
        limit_options(convert)

    def serve_command() -> None:
        serve = sub.add_parser("serve", help="a local web page: paste a model, see the table, formulas and diagram")
        serve.add_argument("--port", type=_positive, default=8000, help="port (default 8000)")
        serve.add_argument("--host", default="127.0.0.1",
                           help="address to listen on (default 127.0.0.1: this machine only)")

    commands = {"summary": summary_command, "explain": explain_command, "check": check_command,
                "convert": convert_command, "serve": serve_command}
    for name in [command] if command in commands else commands:
        commands[name]()
    return parser
