import torch.nn as nn

from .layers import ConvBNAct
import segmenter_config as cfg


class Backbone(nn.Module):
    def __init__(self, in_ch=3, widths=cfg.WIDTHS, act=cfg.ACTIVATION):
        super().__init__()
        stages = []
        for width in widths:
            stages.append(nn.Sequential(ConvBNAct(in_ch, width, stride=2, act=act), ConvBNAct(width, width, act=act)))
            in_ch = width
        self.stages = nn.ModuleList(stages)
        self.out_channels = in_ch

    def forward(self, x):
        features = []
        for stage in self.stages:
            x = stage(x)
            features.append(x)
        return features


def build_backbone(name="small"):
    return Backbone(widths=cfg.PRESETS[name])
