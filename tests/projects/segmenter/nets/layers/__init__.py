from .conv import ConvBNAct, conv_bn
from . import registry
