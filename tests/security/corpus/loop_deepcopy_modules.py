import copy
import torch.nn as nn
block = nn.Sequential(*[nn.Linear(8, 8) for _ in range(50)])
clones = [copy.deepcopy(block) for _ in range(10**6)]
