"""nncalc.summary() on the live model of a file, in a fresh process.

    nncalc_live.py FILE FRAMEWORK SHAPE DTYPE [MODEL]     (SHAPE without the batch, e.g. 3,32,32; "" for Keras)
"""

import sys

from execute import load_model  # the drivers folder is on sys.path

import nncalc

path, framework, shape, dtype = sys.argv[1:5]
model = load_model(path, framework, sys.argv[5] if len(sys.argv) > 5 else None)
if framework == "keras":
    report = nncalc.summary(model, verbose=0)
else:
    import torch

    size = (1, *(int(s) for s in shape.split(",")))
    report = nncalc.summary(model, input_size=size, dtypes=[torch.long] if dtype == "int64" else None, verbose=0)
print(report)
