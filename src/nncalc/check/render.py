"""How ``nncalc check`` prints its findings: text for people, JSON for editors and bots, GitHub annotations."""

from __future__ import annotations

import json

from nncalc.check import FileChecked
from nncalc.check.diagnostic import Diagnostic


def render_text(results: list[FileChecked]) -> str:
    """``file:line:col: error [code] message``, the fix and hint below, then one line per model and a total."""
    out: list[str] = []
    for result in results:
        for d in result.diagnostics:
            out.append(f"{_place(d)}: {d.severity} [{d.code}] {d.message}")
            if d.fix is not None:
                out.append(f"  fix: {d.fix.call}")
            elif d.hint and d.severity == "error":
                out.append(f"  hint: {d.hint}")
        for model in result.models:
            shapes = ", ".join("×".join("?" if s is None else str(s) for s in shape[1 if model.batched else 0:])
                               for shape in model.input_shapes)
            with_input = f", input {shapes}{'' if model.batched else ' unbatched'}" if shapes else ""
            state = "checked" if model.ok else "stopped at an error"
            out.append(f"{result.file}: {model.name} ({_framework(model.framework)}{with_input}): {state}")
    errors = sum(len(_errors_in(r)) for r in results)
    models = sum(len(r.models) for r in results)
    files = len(results)
    verdict = "no problems found" if not errors else f"{errors} error{'s' * (errors != 1)}"
    out.append(f"{verdict} ({models} model{'s' * (models != 1)} in {files} file{'s' * (files != 1)})")
    return "\n".join(out) + "\n"


def render_json(results: list[FileChecked]) -> str:
    """Every diagnostic with its range, code and fix; the models checked; the exit code."""
    payload = {
        "exit_code": exit_code(results),
        "files": [
            {
                "file": r.file,
                "exit_code": r.exit_code,
                "models": [{"name": m.name, "framework": m.framework, "line": m.line,
                            "input_shapes": [list(s) for s in m.input_shapes], "batched": m.batched, "note": m.note,
                            "complete": m.ok} for m in r.models],
                "diagnostics": [d.to_dict() for d in r.diagnostics],
            }
            for r in results
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def render_github(results: list[FileChecked]) -> str:
    """GitHub Actions workflow commands: ``::error file=…,line=…,col=…,endLine=…,title=…::message``."""
    out = []
    for result in results:
        for d in result.diagnostics:
            level = {"error": "error", "warning": "warning"}.get(d.severity, "notice")
            props = [f"file={_escape_property(d.file)}"]
            for key, value in (("line", d.line), ("col", d.column), ("endLine", d.end_line),
                               ("endColumn", d.end_column)):
                if value is not None:
                    props.append(f"{key}={value}")
            props.append(f"title={_escape_property('nncalc ' + d.code)}")
            message = d.message + (f"\nfix: {d.fix.call}" if d.fix else f"\nhint: {d.hint}" if d.hint else "")
            out.append(f"::{level} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(out) + ("\n" if out else "")


def exit_code(results: list[FileChecked]) -> int:
    """0 when every model is consistent, 1 when one is not, 2 when a file cannot be read."""
    return max((r.exit_code for r in results), default=0)


def _errors_in(result: FileChecked) -> list[Diagnostic]:
    return [d for d in result.diagnostics if d.severity == "error"]


def _place(d: Diagnostic) -> str:
    return ":".join(str(part) for part in (d.file, d.line, d.column) if part is not None)


def _framework(name: str) -> str:
    return {"pytorch": "PyTorch", "keras": "Keras"}.get(name, name)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def run_check(files: list[str], input_shapes, model, dtype, fmt: str, check_one=None) -> int:
    """``nncalc check``: check the files, print in ``fmt``, return the exit code. ``check_one`` checks one file
    (the CLI's runs :func:`~nncalc.check.check_file` in a contained child process)."""
    import sys

    from nncalc.check import check_files

    results = check_files(files, input_shapes, model, dtype, check_one)
    render = {"json": render_json, "github": render_github}.get(fmt, render_text)
    sys.stdout.write(render(results))
    return exit_code(results)
