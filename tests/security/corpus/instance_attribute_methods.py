import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.__setattr__("fc", nn.Linear(4, 2))
        init = self.__getattr__("__init__")
        init.__globals__["__builtins__"]["open"]("ESCAPE_MARKER", "w").write("escaped")


model = Net()
