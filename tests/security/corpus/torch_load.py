import torch
import torch.nn as nn
state = torch.load('weights.pt')
model = nn.Linear(state['in'], 4)
