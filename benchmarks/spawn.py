"""Run one command and print its wall seconds, CPU seconds, peak resident KiB and exit code.

    python -I -S spawn.py STDERR_FILE COMMAND ARGS...

Why a separate small process: Linux counts in a child's peak RSS (``ru_maxrss``) the memory of the process it
was forked from, so a child started straight from the benchmark harness (which holds matplotlib, results...)
would inherit the harness's size. Started from this tiny launcher, the floor is the launcher's ~8 MiB, less
than a bare ``python -c pass``. Only ``os``, ``sys`` and ``time`` are imported. The command's stdout goes to
/dev/null, its stderr to STDERR_FILE.
"""

import os
import sys
import time


def main() -> int:
    err_path, *cmd = sys.argv[1:]
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    ]
    start = time.perf_counter()
    pid = os.posix_spawn(cmd[0], cmd, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    peak_kib = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)  # macOS counts bytes, Linux KiB
    print(wall, usage.ru_utime + usage.ru_stime, peak_kib, os.waitstatus_to_exitcode(status))
    return 0


if __name__ == "__main__":
    sys.exit(main())
