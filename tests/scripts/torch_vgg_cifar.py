'''VGG-style networks for 32x32 CIFAR images (configurable depth).'''
import torch
import torch.nn as nn

print(torch.__version__)

CONFIGS = {
    'VGG11': [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
    'VGG13': [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
    'VGG-small': [32, 'M', 64, 'M', 128, 128, 'M', 256, 'M', 256, 'M'],
}


class VGG(nn.Module):
    def __init__(self, vgg_name, num_classes=10):
        super(VGG, self).__init__()
        self.vgg_name = vgg_name
        self.features = self._make_layers(CONFIGS[vgg_name])
        self.classifier = nn.Linear(self._last_width(CONFIGS[vgg_name]), num_classes)

    def forward(self, x):
        out = self.features(x)
        out = out.view(out.size(0), -1)
        return self.classifier(out)

    def __repr__(self):
        return f"{type(self).__name__}({self.vgg_name!r}, {self.classifier.out_features} classes)"

    @staticmethod
    def _last_width(cfg):
        return [c for c in cfg if c != 'M'][-1]

    def _make_layers(self, cfg):
        stages, channels = [], 3
        for item in cfg:
            if item == 'M':
                stages.append(nn.MaxPool2d(2))
                continue
            stages.extend(conv_bn_relu(channels, item))
            channels = item
        return nn.Sequential(*stages)


def conv_bn_relu(cin, cout):
    return [nn.Conv2d(cin, cout, kernel_size=3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]

VGG.__doc__ = """VGG for CIFAR: 3x3 conv + BN + ReLU stages, 5 max-pools, one linear classifier.

Names: """ + ", ".join(sorted(CONFIGS))


def test():
    net = VGG('VGG11')
    x = torch.randn(2, 3, 32, 32)
    y = net(x)
    print(net, y.size())


if __name__ == "__main__":
    print(__name__, __file__)
    test()
