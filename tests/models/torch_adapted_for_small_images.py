"""An ImageNet-style network adapted to 32×32 images the way fine-tuning scripts adapt one after building it: the
stem's stride set to 1, its max-pool deleted, the classifier's last layer replaced by index. Its activation is a
custom autograd ``Function`` (a memory-saving swish, as EfficientNet-PyTorch writes it), one convolution takes its
stride as a one-item list, and the forward wraps its input in the old ``Variable``."""
# nncalc: input-shape 3,32,32

import torch
import torch.nn as nn
from torch.autograd import Function, Variable


class SwishImplementation(Function):
    @staticmethod
    def forward(ctx, x):
        result = x * torch.sigmoid(x)
        ctx.save_for_backward(x)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        sigmoid_x = torch.sigmoid(x)
        return grad_output * (sigmoid_x * (1 + x * (1 - sigmoid_x)))


class MemoryEfficientSwish(nn.Module):
    def forward(self, x):
        return SwishImplementation.apply(x)


class Net(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, kernel_size=7, stride=2, padding=3, bias=False),
            nn.BatchNorm2d(32),
            MemoryEfficientSwish(),
            nn.MaxPool2d(kernel_size=3, stride=2, padding=1),
            nn.Conv2d(32, 64, kernel_size=3, stride=[2], padding=1),
            MemoryEfficientSwish(),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(64, num_classes))

    def forward(self, x):
        x = Variable(x)
        return self.classifier(self.features(x))


model = Net()
model.features[0].stride = (1, 1)
del model.features[3]
model.classifier[1] = nn.Linear(64, 10)
