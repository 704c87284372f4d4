"""Runs ``nncalc`` command lines for the security tests, each in a fresh forked process, without paying Python's
start-up and nncalc's imports for every one.

Started once as ``python cli_driver.py`` (``PYTHONPATH`` naming nncalc's ``src``), it imports the CLI and the
symbolic frameworks, then reads one JSON job a line from stdin: ``{"argv": [...], "cwd": DIR, "out": FILE,
"err": FILE}``. For each it forks; the child changes to ``cwd``, points its stdout and stderr at the files and
calls ``nncalc.cli.main(argv)`` (which forks the contained analysis in turn). The driver answers one JSON line:
the exit code, the wall seconds, and the peak resident memory of the child itself and of the largest process it
waited for (the analysis), so the test can bound the process tree's peak by their sum. A driver forked from
pytest itself would carry pytest's (and torch's) pages in every child's resident size; this one stays small.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

import nncalc.analysis  # noqa: F401  (imported once, before any fork, as the console script would)
import nncalc.frameworks.keras  # noqa: F401
import nncalc.frameworks.torch  # noqa: F401
from nncalc import cli


def run(job: dict) -> dict:
    start = time.monotonic()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.close(read_end)
            os.chdir(job["cwd"])
            for fd, path in ((1, job["out"]), (2, job["err"])):
                target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(target, fd)
                os.close(target)
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
            code = cli.main(job["argv"])
            sys.stdout.flush()
            sys.stderr.flush()
            own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            os.write(write_end, str(own).encode())
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
        finally:
            os._exit(code)
    os.close(write_end)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.monotonic() - start
    with os.fdopen(read_end, "rb") as report:
        own = report.read()
    return {
        "code": os.waitstatus_to_exitcode(status),
        "seconds": elapsed,
        "own_kb": int(own) if own else None,
        "tree_max_kb": usage.ru_maxrss,
    }


def main() -> None:
    for line in sys.stdin:
        print(json.dumps(run(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
