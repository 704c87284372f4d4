"""The command line: ``nncalc summary FILE``, ``nncalc explain FILE``, ``nncalc check FILE...`` and
``nncalc convert FILE --to pytorch|keras``.

Exit codes: 0 fine, 1 the model is inconsistent (a shape error), 2 the input cannot be read (syntax,
unsupported construct, usage), 3 an internal error of nncalc (please report it).
Nothing in the file is ever executed, except with ``--run``: the explicit opt-in that imports the file with the
real framework and summarises the live model (:mod:`nncalc.live.run`).
"""

from __future__ import annotations

import functools
import os
import sys

EXIT_OK, EXIT_MODEL, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``nncalc`` console script."""
    from nncalc import result_cache

    argv = sys.argv[1:] if argv is None else list(argv)
    replayed = result_cache.replay(argv)  # the same command on unchanged files: the stored output
    if replayed is not None:
        return replayed
    from nncalc.arguments import parser as make_parser

    parser = make_parser(argv[0] if argv else None)
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
    if getattr(args, "no_cache", False):
        return _contained(lambda: _guarded(_run, args), limits, args.file)
    return _contained(lambda: result_cache.recording(lambda: _guarded(_run, args)), limits, args.file, argv)


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


def _contained(work, limits, name: str, cached_as: list[str] | None = None) -> int:
    """Run ``work`` (which prints and returns an exit code) in a child process under ``limits``. With
    ``cached_as`` (the command line), ``work`` returns ``(exit code, what it read)`` and the output is stored for
    :func:`nncalc.result_cache.replay`."""
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
    if cached_as is None:
        return finished.value
    from nncalc import result_cache

    code, record = finished.value
    result_cache.store(cached_as, code, record, finished.out, finished.err)
    return code


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
    options = dict(batch=_batch(args), model=args.model, dtype=args.dtype, optimizer=args.optimizer,
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


def _batch(args) -> int | None:
    """``--batch N``, or ``--unbatched``: batch 0, the input shapes are whole shapes (a PyTorch forward that
    takes no batch dimension)."""
    if not args.unbatched:
        return args.batch
    from nncalc.errors import InputError

    if args.batch is not None:
        raise InputError(f"--unbatched and --batch {args.batch} contradict each other: an unbatched input has no "
                         "batch size", hint="give the batch inside --input-shape with --unbatched, or leave "
                         "--unbatched out")
    if args.run:
        raise InputError("--unbatched reads the source; with --run give the input's whole shape to the live model",
                         hint="leave --unbatched out")
    return 0


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
