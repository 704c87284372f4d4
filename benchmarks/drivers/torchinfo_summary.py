"""torchinfo's summary of a model file, in a fresh process: torchinfo_summary.py FILE C,H,W DTYPE [MODEL]."""

import sys

from execute import load_model  # noqa: E402 (the drivers folder is on sys.path)

import torch
import torchinfo

path, shape = sys.argv[1], tuple(int(s) for s in sys.argv[2].split(","))
dtypes = [torch.long] if sys.argv[3] == "int64" else None
model = load_model(path, "pytorch", sys.argv[4] if len(sys.argv) > 4 else None)
torchinfo.summary(model, input_size=(1, *shape), dtypes=dtypes, verbose=1, depth=3)
