"""The command line: ``nncalc summary FILE``, ``nncalc explain FILE``, ``nncalc check FILE...`` and
``nncalc convert FILE --to pytorch|keras``.

Exit codes: 0 fine, 1 the model is inconsistent (a shape error), 2 the input cannot be read (syntax,
unsupported construct, usage), 3 an internal error of nncalc (please report it).
Nothing in the file is ever executed, except with ``--run``: the explicit opt-in that imports the file with the
real framework and summarises the live model (:mod:`nncalc.live.run`).
"""

from __future__ import annotations

import argparse
import functools
import os
import sys

EXIT_OK, EXIT_MODEL, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _shape(text: str) -> tuple:
    """``3,32,32``, ``3x32x32``, ``(3, 32, 32)`` or ``[3, 32, 32]``."""
    inner = text.strip()
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


def _parser() -> argparse.ArgumentParser:
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
                       "the weights' precision for the memory estimates")
        p.add_argument("--optimizer", choices=["sgd", "momentum", "adam", "adamw"], default="adam",
                       help="optimizer for the training memory estimate (default adam)")
        p.add_argument("--amp", action="store_true", help="training memory with mixed precision")
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

    summary = sub.add_parser("summary", help="per-layer table: output shape, params, formula; totals")
    common(summary)
    summary.add_argument("--format", choices=["table", "json", "markdown", "html"], default="table")
    summary.add_argument("--depth", type=_positive, help="show the module tree down to this depth, with subtotals")
    summary.add_argument("--fold", action="store_true", help="fold identical consecutive blocks into one row (× N)")
    summary.add_argument("--width", type=_positive, metavar="N",
                         help="table width in columns (default: the terminal's; 120 when piped)")
    summary.add_argument("--columns", metavar="A,B,…",
                         help="table columns from input_shape, output_shape, params, trainable, formula, macs, flops, "
                         "activations, rf (default output_shape,params,formula)")
    explain = sub.add_parser("explain", help="the worked calculation: formulas substituted step by step")
    common(explain)
    explain.add_argument("--format", choices=["text", "markdown", "latex"], default="text")
    explain.add_argument("--standalone", action="store_true",
                         help="with --format latex: a whole document (\\documentclass … \\end{document}) that "
                         "pdflatex compiles")
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
    convert = sub.add_parser("convert", help="write the model as code for the other framework (PyTorch ↔ Keras)")
    convert.add_argument("file", help="a Python file with a PyTorch or Keras model")
    convert.add_argument("--to", required=True, choices=["pytorch", "torch", "keras"], help="the target framework")
    convert.add_argument("-o", "--output", metavar="OUT", help="write the code to OUT (default: standard output)")
    convert.add_argument("--input-shape", type=_shape, action="append", metavar="C,H,W",
                         help="input shape without the batch (PyTorch files: default inferred)")
    convert.add_argument("--model", help="the module-level name of the model, model class or function")
    convert.add_argument("--debug", action="store_true", help="show Python tracebacks of internal errors")
    limit_options(convert)
    serve = sub.add_parser("serve", help="a local web page: paste a model, see the table, formulas and diagram")
    serve.add_argument("--port", type=_positive, default=8000, help="port (default 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this machine only)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``nncalc`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_INPUT
    if args.command == "serve":
        from nncalc.web import serve

        return serve(args.host, args.port)
    from nncalc import contain

    limits = contain.ProcessLimits(args.max_memory or contain.DEFAULT_MAX_MEMORY,
                                   args.max_seconds or contain.DEFAULT_MAX_SECONDS)
    if getattr(args, "run", False) and args.max_memory is None and args.max_seconds is None:
        return _guarded(_run, args)  # --run executes the file itself: limits only when asked for
    if not contain.available():  # no fork (Windows): the interpreter's own limits only (docs/limits.md)
        from nncalc.interpreter.limits import set_default_limits

        set_default_limits(contain.interpreter_limits(limits))
        return _guarded(_run, args)
    if args.command == "check":
        return _guarded(lambda a: _run_check(a, limits), args)
    return _contained(lambda: _guarded(_run, args), limits, args.file)


def _guarded(run, args) -> int:
    """``run(args)``; an error becomes its message and exit code, never a traceback (unless ``--debug``)."""
    from nncalc.errors import NncalcError

    try:
        return run(args)
    except NncalcError as err:
        print(f"nncalc: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except _InternalErrorReported:
        return EXIT_INTERNAL
    except MemoryError as err:
        from nncalc.interpreter.limits import Budget

        print(f"nncalc: {getattr(args, 'file', None) or ', '.join(args.files)}: {Budget.python_limit(err)}",
              file=sys.stderr)
        return EXIT_INPUT
    except Exception as err:  # nncalc's own bug: say so briefly, never a traceback unless asked
        if args.debug:
            import traceback

            traceback.print_exc()
        else:
            print(f"nncalc: internal error ({type(err).__name__}: {err}); rerun with --debug and please report it",
                  file=sys.stderr)
        return EXIT_INTERNAL


def _contained(work, limits, name: str) -> int:
    """Run ``work`` (which prints and returns an exit code) in a child process under ``limits``."""
    from nncalc import contain
    from nncalc.errors import NncalcError

    try:
        finished = contain.run_contained(work, limits, name)
    except NncalcError as err:
        print(f"nncalc: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    _write(sys.stdout, finished.out)
    _write(sys.stderr, finished.err)
    return finished.value


def _write(stream, data: bytes) -> None:
    """The child's output to ``stream`` as it wrote it (a stream without bytes, such as a StringIO, gets text)."""
    if hasattr(stream, "buffer"):
        stream.flush()
        stream.buffer.write(data)
    else:
        stream.write(data.decode(getattr(stream, "encoding", None) or "utf-8", "replace"))
    stream.flush()


def _run_check(args, limits) -> int:
    """``nncalc check``: each file in a child process of its own, under ``limits``."""
    from nncalc.check.render import run_check

    return run_check(args.files, args.input_shape, args.model, args.dtype, args.format,
                     check_one=functools.partial(_check_contained, limits=limits, debug=args.debug))


def _check_contained(path: str, *options, limits, debug: bool):
    """``check_file(path, *options)`` in a child; a file whose analysis was stopped gets that error."""
    from nncalc import contain
    from nncalc.check import FileChecked, check_file
    from nncalc.check.diagnostic import from_error
    from nncalc.errors import NncalcError

    def work():
        import pickle

        try:
            return pickle.dumps(check_file(path, *options))
        except MemoryError:  # the child ends on it; the parent reports the memory limit for this file
            raise
        except Exception as err:  # nncalc's own bug, as _guarded reports it
            if debug:
                import traceback

                traceback.print_exc()
            else:
                print(f"nncalc: internal error ({type(err).__name__}: {err}); rerun with --debug and please "
                      "report it", file=sys.stderr)
            return EXIT_INTERNAL

    try:
        finished = contain.run_contained(work, limits, path)
    except NncalcError as err:
        return FileChecked(path, diagnostics=[from_error(err, None, path)])
    _write(sys.stderr, finished.err)
    if not isinstance(finished.value, bytes):
        raise _InternalErrorReported
    return _load_checked(finished.value)


class _InternalErrorReported(Exception):
    """A child reported an internal error (already printed); the command exits 3."""


def _load_checked(data: bytes):
    """Unpickle a child's :class:`~nncalc.check.FileChecked`: nncalc's own check records and nothing else."""
    import pickle

    class Records(pickle.Unpickler):
        def find_class(self, module, name):
            if module.startswith("nncalc.check") or (module, name) == ("builtins", "set"):
                return super().find_class(module, name)
            raise pickle.UnpicklingError(f"{module}.{name} is not a check record")

    import io

    return Records(io.BytesIO(data)).load()


def _run(args) -> int:
    if args.command == "check":
        from nncalc.check.render import run_check

        return run_check(args.files, args.input_shape, args.model, args.dtype, args.format)
    from nncalc.analysis import read_source
    from nncalc.errors import InputError, NncalcError

    if getattr(args, "run", False) and not os.path.isfile(args.file):
        raise InputError(f"{args.file}: --run executes a file; save the model to a .py file first")
    if getattr(args, "standalone", False) and args.format != "latex":
        raise InputError("--standalone makes a LaTeX document: add --format latex")
    source = read_source(args.file)  # once: standard input ("-", /dev/stdin) cannot be read twice
    _apply_directives(args, source.text)
    if args.command == "convert":  # exit 4: written, but some layers have no equivalent (docs/convert.md)
        from nncalc.convert.command import run_convert

        return run_convert(source, args.to, args.output, args.model, args.input_shape)
    if args.run:  # explicit opt-in: the file is executed with the real framework
        from nncalc.live.run import summarize_file as analyze
    else:
        from nncalc.analysis import analyze

    target = args.file if args.run else source
    options = dict(batch=args.batch, model=args.model, dtype=args.dtype, optimizer=args.optimizer,
                   mixed_precision=args.amp, **_length(args))
    if not args.run:
        options.update(set_values=args.set_values, root=args.root, source_paths=args.source_path,
                       params_only=args.params_only)
    elif args.params_only:
        raise InputError("--params-only reads the source; --run summarises the live model on an input",
                         hint="leave one of them out")
    try:
        report = analyze(target, input_shapes=args.input_shape, **options)
    except NncalcError as err:
        if not args.run and err.exit_code == EXIT_MODEL:
            _batch_hint(err, args.input_shape, lambda shapes: analyze(target, input_shapes=shapes, **options))
        raise
    from nncalc.render import render

    sys.stdout.write(render(report, *_format(args)))
    if args.verbose and args.format != "json":
        for skipped in report.skipped:
            print(f" Skipped: {skipped}")
    return EXIT_OK


def _format(args):
    """The renderer's name in :data:`nncalc.render.FORMATS` and its options, from the command line."""
    from nncalc.render import DEFAULT_COLUMNS, RenderOptions, parse_columns

    if args.command == "explain":
        return f"explain-{args.format}", RenderOptions(standalone=args.standalone)
    columns = DEFAULT_COLUMNS if args.format == "json" else parse_columns(args.columns)  # JSON holds every column
    return args.format, RenderOptions(args.depth, args.fold, columns, args.width, stream=sys.stdout)


def _batch_hint(err, shapes, analyze) -> None:
    """``--input-shape 1,3,32,32`` (torchinfo's ``input_size`` has the batch): when the shapes without their
    leading 1 fit the model, the error says so."""
    if not shapes or not all(len(shape) >= 2 and shape[0] == 1 for shape in shapes):
        return
    dropped = [shape[1:] for shape in shapes]
    try:
        analyze(dropped)
    except Exception:  # the shape was not the problem: the error stands as it is
        return
    given = " ".join(f"--input-shape {','.join(map(str, shape))}" for shape in dropped)
    err.hint = (f"--input-shape is the shape without the batch (torchinfo's input_size includes it): use {given}, "
                "and --batch N for a batch")


def _length(args) -> dict:
    """``--seq-len``, for the static path (a live model takes its length from ``--input-shape``)."""
    if args.seq_len is None:
        return {}
    if args.run:
        from nncalc.errors import InputError

        raise InputError("--seq-len works without --run; with --run give the length in --input-shape")
    return {"seq_len": args.seq_len}


def _apply_directives(args, text: str) -> None:
    """The file's ``# nncalc: input-shape / model / dtype`` lines fill in what the command line leaves out."""
    from nncalc.directives import parse_input_shapes, parse_set, read_directives

    found = read_directives(text)
    if hasattr(args, "set"):
        args.set_values = parse_set(found.get("set", []) + args.set)
    if args.input_shape is None and "input-shape" in found:
        args.input_shape = parse_input_shapes(found["input-shape"])
    if args.model is None and "model" in found:
        args.model = found["model"]
    if hasattr(args, "dtype") and args.dtype is None and "dtype" in found:
        args.dtype = found["dtype"]


if __name__ == "__main__":
    sys.exit(main())
