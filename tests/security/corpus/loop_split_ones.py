import torch
parts = torch.zeros(5 * 10**7).split(1)
