import torch
x = torch.arange(0, 1e308, 1e-300)
