"""torchinfo's summary() of a model file, in a fresh process (import included).

    torchinfo_summary.py FILE SHAPE DTYPE [MODEL]     (SHAPE without the batch, e.g. 3,32,32)
"""

import sys

from execute import load_model  # the drivers folder is on sys.path

import torch
import torchinfo

path, shape, dtype = sys.argv[1], tuple(int(s) for s in sys.argv[2].split(",")), sys.argv[3]
model = load_model(path, "pytorch", sys.argv[4] if len(sys.argv) > 4 else None)
torchinfo.summary(model, input_size=(1, *shape), dtypes=[torch.long] if dtype == "int64" else None, depth=3)
