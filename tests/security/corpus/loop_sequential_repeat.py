import torch.nn as nn
model = nn.Sequential(*[nn.ReLU()] * 10**8)
