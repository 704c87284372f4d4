import torch.nn as nn
d = nn.__dict__
