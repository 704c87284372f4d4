"""The web server's limits, tighter than the command line's: a page analyses on every pause in typing, and a
server may be reached by more than its owner. Documented in docs/web.md."""

from __future__ import annotations

from nncalc.interpreter.limits import Limits

MAX_BODY_BYTES = 256 * 1024
"""Bytes of one request body; a larger one gets 413 before it is parsed."""
MAX_SOURCE_CHARS = 200_000
"""Characters of pasted source (real model files have a few thousand)."""
WEB_LIMITS = Limits(max_steps=2_000_000, max_seconds=5.0, max_memory=256 * 1024 * 1024)
"""The interpreter's budgets per analysis: steps, wall time, memory growth (see docs/limits.md)."""
MAX_WORKER_MEMORY = 2 * WEB_LIMITS.max_memory
"""Bytes a worker process's address space may grow by (the OS limit behind the interpreter's own check)."""
WAIT_SECONDS = 20.0
"""How long a request waits for an idle worker (see nncalc.web.workers) before it gets 429."""
