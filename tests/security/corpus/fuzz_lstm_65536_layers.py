# found by tests/fuzz/fuzz_job.py (minimised): 65,536 layers built in nncalc's own loop took minutes
import torch.nn as nn
model = nn.Sequential(
    nn.LSTM(10, 3, num_layers=65536),
)
