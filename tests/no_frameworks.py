"""The command line as on a machine without the frameworks: Python code for ``python -c`` that makes importing
them fail, then runs nncalc's ``main`` on ``sys.argv``."""

from __future__ import annotations

FRAMEWORKS = ("torch", "keras", "tensorflow", "jax")


def cli_without(*more: str, prelude: str = "") -> str:
    """``python -c`` code running nncalc's CLI where importing the frameworks (and ``more``) fails; ``prelude``
    runs first (a test's patch of nncalc)."""
    return (
        prelude
        + "import sys\n"
        + f"for name in {FRAMEWORKS + more!r}:\n"
        + "    sys.modules[name] = None\n"
        + "from nncalc.cli import main\n"
        + "sys.exit(main(sys.argv[1:]))\n"
    )
