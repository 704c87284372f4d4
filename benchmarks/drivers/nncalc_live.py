"""nncalc.summary() on the live model of a file, in a fresh process: nncalc_live.py FILE FRAMEWORK C,H,W [MODEL]."""

import sys

from execute import load_model  # noqa: E402 (the drivers folder is on sys.path)

import nncalc

path, framework = sys.argv[1], sys.argv[2]
model = load_model(path, framework, sys.argv[4] if len(sys.argv) > 4 else None)
shape = tuple(int(s) for s in sys.argv[3].split(",")) if len(sys.argv) > 3 and sys.argv[3] else None
if framework == "keras":
    print(nncalc.summary(model, verbose=0).total_params)
else:
    print(nncalc.summary(model, input_size=(1, *shape), verbose=0).total_params)
