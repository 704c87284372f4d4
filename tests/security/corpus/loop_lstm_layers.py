import torch.nn as nn
rnn = nn.LSTM(4, 8, num_layers=10**9)
