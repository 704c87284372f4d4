import torch
import torch.nn as nn
x = torch.linspace(0, 0.1, 2**63)
rates = [v.item() for v in x]
