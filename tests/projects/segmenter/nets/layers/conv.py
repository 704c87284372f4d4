import torch.nn as nn

from . import registry


class ConvBNAct(nn.Sequential):
    def __init__(self, in_ch, out_ch, kernel_size=3, stride=1, act="relu"):
        padding = (kernel_size - 1) // 2
        super().__init__(
            nn.Conv2d(in_ch, out_ch, kernel_size, stride, padding, bias=False),
            nn.BatchNorm2d(out_ch),
            registry.make_activation(act),
        )


def conv_bn(in_ch, out_ch, stride=1):
    return ConvBNAct(in_ch, out_ch, 3, stride)
