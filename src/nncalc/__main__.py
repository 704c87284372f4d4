"""``python -m nncalc``: the same command as ``nncalc``."""

import sys

from nncalc.cli import main

sys.exit(main(sys.argv[1:]))
