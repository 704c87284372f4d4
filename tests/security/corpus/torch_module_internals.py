import torch.nn as nn
m = nn.Linear(2, 2)
hidden = m._ctor
