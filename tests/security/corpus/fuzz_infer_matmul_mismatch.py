# found by tests/fuzz/fuzz_job.py (minimised by hand): a matmul mismatch while inferring the input (internal KeyError)
import torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
    def forward(self, x):
        y = self.conv(x).flatten(2)
        return y @ y.transpose(-1, -0)
model = Net()
