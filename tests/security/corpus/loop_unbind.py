import torch
parts = torch.zeros(5 * 10**7, 2).unbind(0)
