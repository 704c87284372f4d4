import torch.nn as nn
fc = nn.Linear(10**300, -5)
