"""``nncalc convert FILE --to pytorch|keras [-o OUT]``.

Exit codes: 0 converted, every layer with an equivalent; 4 converted, but some layers have none (each is listed
on stderr and marked in the code, where it raises ``NotImplementedError``); 1 and 2 as for every command (an
inconsistent model; a file that cannot be read).
"""

from __future__ import annotations

import sys

EXIT_PARTIAL = 4


def run_convert(path, to: str, output: str | None, model: str | None, input_shapes) -> int:
    """Convert, write the code, report what was not converted; returns the exit code."""
    from nncalc.convert import convert
    from nncalc.errors import InputError

    result = convert(path, to, model=model, input_shapes=input_shapes)
    if output is None:
        sys.stdout.write(result.code)
    else:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(result.code)
        except OSError as err:
            raise InputError(f"{output}: cannot be written ({err.strerror})") from None
    for problem in result.problems:
        print(f"nncalc: {getattr(path, 'filename', path)}: not converted: {problem}", file=sys.stderr)
    if result.problems:
        print(f"nncalc: {len(result.problems)} layer(s) have no equivalent; the code marks them and raises "
              "NotImplementedError there", file=sys.stderr)
        return EXIT_PARTIAL
    return 0
