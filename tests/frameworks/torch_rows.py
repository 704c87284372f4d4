"""The rows of nncalc's torch layer rules: one row per layer configuration, read by two kinds of test.

The oracle tests (``test_torch_api``, ``test_torch_layers_more``, ``test_torch_recurrent``,
``test_torch_attention``) run every row through real torch and nncalc side by side; ``test_rule_rows`` runs
every row through nncalc alone against the numbers real torch computed once, stored in ``torch_rows.json``,
so that an install without torch still tests every rule. Adding a layer adds a row here; then
``NNCALC_UPDATE_GOLDEN=1 pytest tests/frameworks/test_rule_rows.py`` stores its numbers.
"""

from __future__ import annotations

from inner import Inner, built
from torch_helpers import row_id

# (layer, args, kwargs, input shape): test_torch_api.py
LAYERS = [
    # convolutions
    ("Conv2d", (3, 8, 3), {}, (1, 3, 32, 32)),
    ("Conv2d", (), {"in_channels": 3, "out_channels": 8, "kernel_size": 3, "stride": 1, "padding": 0}, (1, 3, 32, 32)),
    ("Conv2d", (3, 8, 3), {"stride": 2, "padding": 1}, (2, 3, 31, 17)),
    ("Conv2d", (3, 8, (3, 5)), {"stride": (2, 1), "padding": (1, 2)}, (1, 3, 20, 21)),
    ("Conv2d", (4, 8, 3), {"groups": 2, "bias": False}, (1, 4, 9, 9)),
    ("Conv2d", (8, 8, 3), {"groups": 8, "padding": 1}, (1, 8, 7, 7)),
    ("Conv2d", (3, 8, 3), {"padding": "same"}, (1, 3, 11, 12)),
    ("Conv2d", (3, 8, 4), {"padding": "same"}, (1, 3, 11, 12)),
    ("Conv2d", (3, 8, 3), {"padding": "valid"}, (1, 3, 11, 12)),
    ("Conv2d", (3, 8, 3), {"dilation": 2}, (1, 3, 15, 15)),
    ("Conv2d", (3, 8, 3), {"padding": 2, "dilation": 2, "padding_mode": "reflect"}, (1, 3, 15, 15)),
    ("Conv2d", (3, 6, 3), {"padding": "same", "dilation": 2, "padding_mode": "circular"}, (1, 3, 15, 15)),
    ("Conv2d", (3, 8, 3), {}, (3, 10, 10)),  # unbatched (C, H, W)
    ("Conv2d", (3, 8, 1), {"stride": 3}, (1, 3, 10, 10)),
    ("Conv1d", (1, 16, 80), {"stride": 4}, (1, 1, 4000)),
    ("Conv1d", (16, 32, 4), {"padding": "same"}, (1, 16, 50)),
    ("Conv1d", (32, 32, 3), {"dilation": 2, "bias": False}, (1, 32, 16)),
    ("Conv1d", (32, 64, 3), {"stride": 2, "padding": 1, "groups": 4}, (2, 32, 15)),
    ("Conv1d", (2, 4, 3), {}, (2, 9)),  # unbatched (C, L)
    ("Conv3d", (3, 8, 3), {"padding": 1}, (1, 3, 8, 16, 16)),
    ("Conv3d", (8, 16, (3, 3, 3)), {"stride": (1, 2, 2), "padding": (1, 1, 1)}, (1, 8, 8, 16, 16)),
    ("Conv3d", (16, 16, 3), {"padding": "same", "dilation": (1, 2, 2)}, (1, 16, 4, 8, 8)),
    # linear
    ("Linear", (10, 5), {}, (2, 10)),
    ("Linear", (10, 5), {"bias": False}, (2, 10)),
    ("Linear", (10, 5), {}, (2, 3, 10)),
    ("Linear", (10, 5), {}, (10,)),
    ("Linear", (), {"in_features": 3136, "out_features": 128}, (1, 3136)),
    # pooling
    ("MaxPool2d", (2,), {}, (1, 16, 28, 28)),
    ("MaxPool2d", (), {"kernel_size": 2, "stride": 2}, (1, 16, 27, 27)),
    ("MaxPool2d", (3,), {"stride": 2, "ceil_mode": True}, (1, 32, 15, 15)),
    ("MaxPool2d", (2,), {"stride": 2, "padding": 1, "ceil_mode": True}, (1, 4, 7, 9)),
    ("MaxPool2d", (3, 2, 1), {}, (1, 4, 9, 9)),
    ("MaxPool2d", (3,), {"padding": 1, "dilation": 2}, (1, 4, 9, 9)),
    ("MaxPool2d", ((2, 3),), {"stride": (1, 2)}, (1, 4, 9, 9)),
    ("MaxPool2d", (2,), {"return_indices": True}, (1, 4, 8, 8)),
    ("MaxPool2d", (2,), {}, (4, 8, 8)),  # unbatched
    ("MaxPool1d", (4,), {}, (1, 16, 993)),
    ("MaxPool1d", (3,), {"stride": 3, "ceil_mode": True}, (1, 32, 62)),
    ("MaxPool3d", ((1, 2, 2),), {}, (1, 8, 8, 32, 32)),
    ("MaxPool3d", (3, 2, 1), {}, (1, 16, 4, 8, 8)),
    ("AvgPool2d", (2,), {}, (1, 3, 9, 9)),
    ("AvgPool2d", (3,), {"stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False}, (1, 3, 10, 10)),
    ("AvgPool2d", (2,), {"divisor_override": 3}, (1, 3, 6, 7)),
    ("AvgPool2d", (2,), {"padding": 1}, (1, 3, 5, 5)),
    ("AvgPool1d", (3,), {"stride": 2, "padding": 1}, (1, 32, 20)),
    ("AvgPool3d", (2,), {"ceil_mode": True}, (1, 16, 7, 9, 9)),
    ("AdaptiveAvgPool2d", (1,), {}, (1, 64, 7, 7)),
    ("AdaptiveAvgPool2d", ((2, 3),), {}, (1, 64, 7, 7)),
    ("AdaptiveAvgPool2d", ((None, 3),), {}, (1, 2, 5, 7)),
    ("AdaptiveAvgPool2d", (3,), {}, (1, 3, 2, 2)),
    ("AdaptiveAvgPool1d", (1,), {}, (1, 64, 20)),
    ("AdaptiveAvgPool3d", ((1, 2, 2),), {}, (1, 4, 3, 8, 8)),
    ("AdaptiveMaxPool2d", (4,), {}, (1, 4, 9, 9)),
    ("AdaptiveMaxPool2d", (2,), {"return_indices": True}, (1, 4, 9, 9)),
    ("AdaptiveMaxPool1d", (2,), {}, (1, 4, 9)),
    ("AdaptiveMaxPool3d", ((1, 2, 3),), {}, (1, 2, 4, 4, 6)),
    ("AdaptiveMaxPool3d", (2,), {}, (2, 4, 5, 6)),
    # reshaping
    ("Flatten", (), {}, (1, 16, 14, 14)),
    ("Flatten", (0,), {}, (2, 3, 4)),
    ("Flatten", (1, 2), {}, (2, 3, 4, 5)),
    ("Flatten", (), {"start_dim": -2}, (2, 3, 4, 5)),
    ("Unflatten", (1, (2, 5)), {}, (1, 10)),
    ("Unflatten", (1, (2, -1)), {}, (1, 10)),
    # dropout
    ("Dropout", (0.3,), {}, (1, 10)),
    ("Dropout", (), {"p": 0.5, "inplace": True}, (1, 3, 4, 4)),
    ("Dropout1d", (0.1,), {}, (1, 3, 8)),
    ("Dropout2d", (), {}, (1, 3, 4, 4)),
    ("Dropout3d", (), {}, (1, 3, 2, 4, 4)),
    ("AlphaDropout", (0.2,), {}, (2, 5)),
    # normalisation
    ("BatchNorm1d", (16,), {}, (2, 16)),
    ("BatchNorm1d", (16,), {}, (2, 16, 10)),
    ("BatchNorm2d", (8,), {}, (1, 8, 5, 5)),
    ("BatchNorm2d", (8,), {"affine": False}, (1, 8, 5, 5)),
    ("BatchNorm2d", (8,), {"track_running_stats": False}, (1, 8, 5, 5)),
    ("BatchNorm2d", (8,), {"bias": False}, (1, 8, 5, 5)),
    ("BatchNorm2d", (8, 1e-3, 0.01), {}, (1, 8, 5, 5)),
    ("BatchNorm3d", (4,), {}, (1, 4, 2, 3, 3)),
    # activations
    ("ReLU", (), {}, (1, 3, 4, 4)),
    ("ReLU", (), {"inplace": True}, (1, 3)),
    ("ReLU6", (), {}, (1, 3)),
    ("LeakyReLU", (0.2,), {}, (1, 3)),
    ("ELU", (), {"alpha": 0.5}, (1, 3)),
    ("GELU", (), {}, (1, 3)),
    ("GELU", (), {"approximate": "tanh"}, (1, 3)),
    ("SiLU", (), {}, (1, 3)),
    ("Sigmoid", (), {}, (1, 3)),
    ("Tanh", (), {}, (1, 3)),
    ("Softmax", (), {"dim": 1}, (1, 10)),
    ("Softmax", (-1,), {}, (2, 3, 10)),
    ("LogSoftmax", (), {"dim": 1}, (1, 10)),
    ("Hardswish", (), {}, (1, 3)),
    ("Hardsigmoid", (), {}, (1, 3)),
    ("Mish", (), {}, (1, 3)),
    ("Softplus", (), {"beta": 2}, (1, 3)),
    ("Hardtanh", (-2.0, 2.0), {}, (1, 3)),
    ("CELU", (), {"alpha": 0.5}, (2, 5)),
    ("SELU", (), {}, (2, 5)),
    ("Softmin", (), {"dim": 1}, (2, 5)),
    ("Softsign", (), {}, (2, 5)),
    ("Tanhshrink", (), {}, (2, 5)),
    ("Identity", (3,), {"unused": 1}, (1, 3, 4)),
    ("PReLU", (), {}, (1, 3, 4, 4)),
    ("PReLU", (3,), {}, (1, 3, 4, 4)),
]


# (layer, args, kwargs, input shape): test_torch_layers_more.py
MORE = [
    ("ConvTranspose2d", (8, 4, 2), {"stride": 2}, (1, 8, 7, 7)),
    ("ConvTranspose2d", (8, 4, 4), {"stride": 2, "padding": 1}, (1, 8, 16, 16)),
    ("ConvTranspose2d", (8, 4, 3), {"stride": 2, "padding": 1, "output_padding": 1}, (1, 8, 7, 9)),
    ("ConvTranspose2d", (8, 6, 3), {"groups": 2, "bias": False}, (2, 8, 5, 5)),
    ("ConvTranspose2d", (4, 4, (3, 5)), {"stride": (1, 2), "dilation": 2, "output_padding": (0, 1)}, (1, 4, 6, 6)),
    ("ConvTranspose2d", (4, 8, 3), {}, (4, 5, 5)),  # unbatched
    ("ConvTranspose1d", (16, 8, 4), {"stride": 4}, (1, 16, 25)),
    ("ConvTranspose1d", (16, 8, 5), {"stride": 3, "padding": 2, "output_padding": 2}, (1, 16, 10)),
    ("ConvTranspose3d", (8, 4, 3), {"stride": 2, "padding": 1, "output_padding": 1}, (1, 8, 4, 5, 6)),
    ("ConvTranspose3d", (8, 8, (1, 2, 2)), {"stride": (1, 2, 2), "groups": 4}, (1, 8, 4, 5, 6)),
    ("Upsample", (), {"scale_factor": 2}, (1, 3, 7, 9)),
    ("Upsample", (), {"scale_factor": 2, "mode": "bilinear", "align_corners": True}, (1, 3, 7, 9)),
    ("Upsample", (), {"scale_factor": 1.5, "mode": "bicubic"}, (1, 3, 7, 9)),
    ("Upsample", (), {"size": (10, 12)}, (1, 3, 7, 9)),
    ("Upsample", (), {"size": 20, "mode": "linear"}, (1, 3, 7)),
    ("Upsample", (), {"scale_factor": (1, 2, 2), "mode": "trilinear"}, (1, 3, 4, 7, 9)),
    ("Upsample", (), {"scale_factor": 0.5, "mode": "area"}, (1, 3, 7, 9)),
    ("UpsamplingNearest2d", (), {"scale_factor": 3}, (1, 3, 4, 4)),
    ("UpsamplingBilinear2d", ((8, 6),), {}, (1, 3, 4, 4)),
    ("ZeroPad2d", (1,), {}, (1, 3, 7, 9)),
    ("ZeroPad2d", ((1, 2, 3, 4),), {}, (1, 3, 7, 9)),
    ("ZeroPad2d", ((-1, 0, 2, -2),), {}, (1, 3, 7, 9)),
    ("ZeroPad1d", (2,), {}, (1, 3, 7)),
    ("ZeroPad3d", ((1, 0, 0, 1, 2, 2),), {}, (1, 3, 4, 5, 6)),
    ("ConstantPad1d", ((3, 1), 0.5), {}, (1, 3, 7)),
    ("ConstantPad2d", (2, 1.0), {}, (3, 7, 9)),
    ("ConstantPad3d", (1, 0.0), {}, (1, 3, 4, 5, 6)),
    ("ReflectionPad1d", (2,), {}, (1, 3, 7)),
    ("ReflectionPad2d", (3,), {}, (1, 3, 7, 9)),
    ("ReflectionPad2d", ((1, 0, 2, 1),), {}, (1, 3, 7, 9)),
    ("ReflectionPad3d", (1,), {}, (1, 3, 4, 5, 6)),
    ("ReplicationPad2d", ((2, 2, 0, 1),), {}, (1, 3, 7, 9)),
    ("ReplicationPad1d", (5,), {}, (1, 3, 2)),
    ("CircularPad2d", (2,), {}, (1, 3, 7, 9)),
    ("CircularPad1d", ((1, 2),), {}, (1, 3, 7)),
    ("CircularPad3d", (1,), {}, (1, 3, 4, 5, 6)),
    ("ReplicationPad3d", ((1, 0, 2, 1, 0, 1),), {}, (1, 3, 4, 5, 6)),
    ("PixelShuffle", (2,), {}, (1, 12, 5, 6)),
    ("PixelUnshuffle", (2,), {}, (1, 3, 8, 6)),
    ("GroupNorm", (4, 16), {}, (2, 16, 5, 5)),
    ("GroupNorm", (1, 8), {"affine": False}, (2, 8, 5)),
    ("GroupNorm", (8, 8), {"eps": 1e-3}, (1, 8, 3, 3, 3)),
    ("InstanceNorm1d", (8,), {}, (2, 8, 10)),
    ("InstanceNorm2d", (8,), {}, (2, 8, 5, 5)),
    ("InstanceNorm2d", (8,), {"affine": True}, (2, 8, 5, 5)),
    ("InstanceNorm2d", (8,), {"track_running_stats": True}, (2, 8, 5, 5)),
    ("InstanceNorm2d", (8,), {"affine": True, "track_running_stats": True}, (8, 5, 5)),
    ("InstanceNorm3d", (4,), {"affine": True}, (1, 4, 3, 3, 3)),
    ("LayerNorm", (10,), {}, (2, 7, 10)),
    ("LayerNorm", ((7, 10),), {}, (2, 7, 10)),
    ("LayerNorm", ([8, 5, 5],), {"elementwise_affine": False}, (2, 8, 5, 5)),
    ("LayerNorm", (10,), {"bias": False}, (2, 10)),
    ("RMSNorm", (10,), {}, (2, 7, 10)),
    ("RMSNorm", ((7, 10),), {"elementwise_affine": False}, (2, 7, 10)),
    ("LocalResponseNorm", (5,), {}, (1, 8, 6, 6)),
    ("Hardswish", (), {}, (1, 8, 6, 6)),
    ("SiLU", (), {"inplace": True}, (1, 8, 6, 6)),
    ("ReLU6", (), {"inplace": True}, (1, 8, 6, 6)),
    ("GLU", (), {}, (2, 5, 8)),
    ("GLU", (1,), {}, (2, 6, 5)),
    ("LogSigmoid", (), {}, (2, 5)),
    ("Hardshrink", (), {"lambd": 0.3}, (2, 5)),
    ("Softshrink", (), {}, (2, 5, 3)),
    ("Threshold", (0.1, 20.0), {}, (2, 5)),
    ("RReLU", (0.1, 0.3), {}, (2, 5, 3)),
    ("Softmax2d", (), {}, (2, 5, 3, 3)),
    ("Softmax2d", (), {}, (5, 3, 3)),
    ("FeatureAlphaDropout", (0.2,), {}, (2, 5, 3, 3)),
    ("Unfold", (3,), {"padding": 1, "stride": 2}, (1, 3, 8, 8)),
    ("Unfold", ((2, 3),), {"dilation": 2}, (2, 4, 9, 10)),
    ("Unfold", (2,), {}, (3, 6, 6)),
    ("Fold", ((8, 8), 3), {"padding": 1, "stride": 2}, (1, 27, 16)),
    ("Fold", (5, (2, 3)), {}, (2, 12, 12)),
    ("Fold", ((4, 6), 2), {"stride": 2}, (12, 6)),
    ("LazyLinear", (10,), {}, (2, 7)),
    ("LazyLinear", (10,), {"bias": False}, (2, 3, 7)),
    ("LazyConv1d", (8, 3), {}, (2, 4, 9)),
    ("LazyConv2d", (8, 3), {"padding": 1}, (1, 3, 9, 9)),
    ("LazyConv2d", (8, 3), {"groups": 2, "stride": 2}, (1, 4, 9, 9)),
    ("LazyConv3d", (4, 2), {"stride": 2}, (1, 2, 6, 6, 6)),
    ("LazyConvTranspose1d", (4, 3), {}, (1, 6, 5)),
    ("LazyConvTranspose2d", (4, 2), {"stride": 2}, (1, 6, 5, 5)),
    ("LazyConvTranspose3d", (4, 2), {"stride": 2, "groups": 2}, (1, 6, 2, 3, 3)),
    ("LazyBatchNorm1d", (), {}, (4, 7)),
    ("LazyBatchNorm2d", (), {"affine": False}, (2, 5, 3, 3)),
    ("LazyBatchNorm2d", (), {"bias": False}, (2, 5, 3, 3)),
    ("LazyBatchNorm3d", (), {"track_running_stats": False}, (2, 5, 3, 3, 3)),
    ("LazyInstanceNorm1d", (), {}, (2, 5, 9)),
    ("LazyInstanceNorm2d", (), {"affine": False}, (2, 5, 3, 3)),
    ("LazyInstanceNorm3d", (), {"bias": False}, (2, 5, 3, 3, 3)),
    ("ChannelShuffle", (3,), {}, (2, 6, 3, 3)),
    ("ChannelShuffle", (2,), {}, (2, 4, 5)),
    ("LPPool1d", (2, 3), {}, (2, 3, 7)),
    ("LPPool2d", (2, 3), {"stride": 2, "ceil_mode": True}, (1, 3, 7, 7)),
    ("LPPool3d", (1.5, 2), {}, (1, 2, 4, 4, 4)),
    ("FractionalMaxPool2d", (3,), {"output_ratio": 0.5}, (1, 3, 9, 9)),
    ("FractionalMaxPool2d", (2,), {"output_size": (4, 5)}, (3, 9, 9)),
    ("FractionalMaxPool3d", (2,), {"output_ratio": (0.5, 0.6, 0.7)}, (1, 2, 6, 6, 6)),
    ("CrossMapLRN2d", (3,), {}, (2, 4, 3, 3)),
    ("SyncBatchNorm", (4,), {}, (2, 4)),
    ("SyncBatchNorm", (4,), {"affine": False}, (2, 4, 3, 3)),
    ("SyncBatchNorm", (4,), {"track_running_stats": False}, (2, 4, 2, 2, 2, 2)),
]


# layers called on several tensors or on integer ones: (layer, args, kwargs, [(input shape, dtype)], call kwargs):
# test_torch_layers_more.py
LONG = "int64"
MULTI = [
    ("Bilinear", (5, 7, 3), {}, [((2, 5), None), ((2, 7), None)], {}),
    ("Bilinear", (5, 7, 3), {"bias": False}, [((2, 4, 5), None), ((2, 4, 7), None)], {}),
    ("Bilinear", (5, 7, 3), {}, [((5,), None), ((7,), None)], {}),
    ("EmbeddingBag", (10, 4), {}, [((2, 3), LONG)], {}),
    ("EmbeddingBag", (10, 4), {"mode": "sum"}, [((6,), LONG), ((3,), LONG)], {}),
    ("EmbeddingBag", (10, 4), {"mode": "max", "include_last_offset": True}, [((6,), LONG), ((3,), LONG)], {}),
    ("EmbeddingBag", (10, 4), {"mode": "sum", "padding_idx": 0}, [((2, 3), LONG)], {}),
    ("MaxUnpool1d", (3,), {"stride": 2, "padding": 1}, [((1, 2, 5), None), ((1, 2, 5), LONG)], {}),
    ("MaxUnpool2d", (2,), {}, [((1, 3, 4, 5), None), ((1, 3, 4, 5), LONG)], {}),
    ("MaxUnpool2d", (2,), {}, [((3, 4, 5), None), ((3, 4, 5), LONG)], {}),
    ("MaxUnpool2d", (2,), {}, [((1, 3, 4, 5), None), ((1, 3, 4, 5), LONG)], {"output_size": (9, 11)}),
    ("MaxUnpool2d", (2,), {}, [((1, 3, 4, 5), None), ((1, 3, 4, 5), LONG)], {"output_size": [1, 3, 9, 10]}),
    ("MaxUnpool3d", (2,), {"stride": (1, 2, 2)}, [((1, 2, 2, 3, 4), None), ((1, 2, 2, 3, 4), LONG)], {}),
    ("CosineSimilarity", (), {}, [((2, 5, 3), None), ((1, 5, 3), None)], {}),
    ("CosineSimilarity", (0,), {}, [((5,), None), ((5,), None)], {}),
    ("PairwiseDistance", (), {}, [((2, 5), None), ((2, 5), None)], {}),
    ("PairwiseDistance", (), {"keepdim": True}, [((3, 2, 5), None), ((2, 5), None)], {}),
    ("PairwiseDistance", (), {}, [((5,), None), ((5,), None)], {}),
    # losses: (input, target[, more]) to a scalar, or one value per element with reduction="none"
    ("CrossEntropyLoss", (), {}, [((4, 10), None), ((4,), LONG)], {}),
    ("CrossEntropyLoss", (), {"reduction": "none"}, [((4, 10, 3), None), ((4, 3), LONG)], {}),
    ("CrossEntropyLoss", (), {"label_smoothing": 0.1}, [((4, 10), None), ((4, 10), None)], {}),
    ("NLLLoss", (), {}, [((4, 10), None), ((4,), LONG)], {}),
    ("NLLLoss", (), {"reduction": "none"}, [((2, 5, 3, 3), None), ((2, 3, 3), LONG)], {}),
    ("NLLLoss2d", (), {}, [((2, 5, 3, 3), None), ((2, 3, 3), LONG)], {}),
    ("BCELoss", (), {}, [((4, 3), None), ((4, 3), None)], {}),
    ("BCEWithLogitsLoss", (), {"reduction": "sum"}, [((4, 3), None), ((4, 3), None)], {}),
    ("MSELoss", (), {}, [((4, 3), None), ((4, 3), None)], {}),
    ("L1Loss", (), {"reduction": "none"}, [((2, 5), None), ((2, 5), None)], {}),
    ("SmoothL1Loss", (), {"beta": 0.5}, [((2, 5), None), ((2, 5), None)], {}),
    ("HuberLoss", (), {"reduction": "none"}, [((2, 5), None), ((2, 5), None)], {}),
    ("KLDivLoss", (), {"reduction": "batchmean"}, [((2, 5), None), ((2, 5), None)], {}),
    ("PoissonNLLLoss", (), {}, [((2, 5), None), ((2, 5), None)], {}),
    ("GaussianNLLLoss", (), {}, [((2, 5), None), ((2, 5), None), ((2, 1), None)], {}),
    ("SoftMarginLoss", (), {}, [((2, 5), None), ((2, 5), None)], {}),
    ("MultiLabelSoftMarginLoss", (), {"reduction": "none"}, [((2, 5), None), ((2, 5), None)], {}),
    ("MultiLabelMarginLoss", (), {}, [((2, 5), None), ((2, 5), LONG)], {}),
    ("MultiMarginLoss", (), {"reduction": "none"}, [((2, 5), None), ((2,), LONG)], {}),
    ("HingeEmbeddingLoss", (), {}, [((2, 5), None), ((2, 5), None)], {}),
    ("MarginRankingLoss", (), {"reduction": "none"}, [((4,), None), ((4,), None), ((4,), None)], {}),
    ("CosineEmbeddingLoss", (), {}, [((4, 6), None), ((4, 6), None), ((4,), None)], {}),
    ("TripletMarginLoss", (), {"reduction": "none"}, [((4, 6), None)] * 3, {}),
    ("TripletMarginWithDistanceLoss", (), {}, [((4, 6), None)] * 3, {}),
    ("CTCLoss", (), {}, [((10, 2, 5), None), ((2, 4), LONG), ((2,), LONG), ((2,), LONG)], {}),
    ("CTCLoss", (), {"reduction": "none"}, [((10, 2, 5), None), ((2, 4), LONG), ((2,), LONG), ((2,), LONG)], {}),
    ("CTCLoss", (), {"reduction": "none"}, [((10, 5), None), ((0,), LONG), ((), LONG), ((), LONG)], {}),
    ("CrossEntropyLoss", (), {"reduction": "none"}, [((10,), None), ((), LONG)], {}),
    ("TripletMarginWithDistanceLoss", (), {"reduction": "none"}, [((6,), None)] * 3, {}),
    ("CosineEmbeddingLoss", (), {"reduction": "none"}, [((4, 6), None), ((4, 6), None), ((4,), None)], {}),
    ("MultiLabelMarginLoss", (), {"reduction": "none"}, [((5,), None), ((5,), LONG)], {}),
    ("KLDivLoss", (), {"reduction": "none", "log_target": True}, [((2, 5), None), ((2, 5), None)], {}),
    ("LinearCrossEntropyLoss", (8, 10), {}, [((4, 8), None), ((4,), LONG)], {}),
    ("LinearCrossEntropyLoss", (8, 10), {"out_features": (3,), "bias": True, "reduction": "none"},
     [((4, 8), None), ((4, 3), LONG)], {}),
]


# (layer, args, kwargs, input shape): test_torch_recurrent.py
RECURRENT = [
    ("LSTM", (32, 64), {"batch_first": True}, (1, 10, 32)),
    ("LSTM", (32, 64), {}, (10, 3, 32)),
    ("LSTM", (32, 64), {}, (10, 32)),  # unbatched
    ("LSTM", (32, 64), {"num_layers": 2, "bidirectional": True, "batch_first": True}, (2, 7, 32)),
    ("LSTM", (32, 64), {"num_layers": 3, "proj_size": 16}, (5, 2, 32)),
    ("LSTM", (32, 64, 2), {"proj_size": 16, "bidirectional": True, "batch_first": True}, (2, 5, 32)),
    ("LSTM", (32, 64), {"bias": False, "dropout": 0.0}, (4, 2, 32)),
    ("LSTM", (8, 12), {"proj_size": 5, "bidirectional": True}, (6, 8)),  # unbatched, projected
    ("GRU", (16, 24), {"num_layers": 3, "dropout": 0.3}, (6, 2, 16)),
    ("GRU", (16, 24), {"bidirectional": True}, (6, 16)),
    ("GRU", (16, 24, 2, False, True), {}, (3, 6, 16)),  # positional: num_layers, bias, batch_first
    ("RNN", (16, 24), {"nonlinearity": "relu", "bias": False, "batch_first": True}, (2, 6, 16)),
    ("RNN", (16, 24, 2, "tanh", True, True), {}, (2, 6, 16)),  # positional nonlinearity, as torch takes it
    ("RNN", (16, 24), {"num_layers": 4, "bidirectional": True}, (9, 1, 16)),
    ("RNNCell", (16, 24), {}, (3, 16)),
    ("RNNCell", (16, 24), {"nonlinearity": "relu", "bias": False}, (16,)),
    ("LSTMCell", (16, 24), {}, (3, 16)),
    ("LSTMCell", (16, 24), {"bias": False}, (16,)),
    ("GRUCell", (16, 24), {}, (3, 16)),
]


# (layer, args, kwargs, [input shapes], input dtype): test_torch_attention.py
ATTENTION = [
    ("Embedding", (100, 16), {}, [(2, 7)], "int64"),
    ("Embedding", (100, 16), {"padding_idx": -1}, [(5,)], "int64"),
    ("Embedding", (50, 8), {"max_norm": 1.0, "sparse": True}, [(1, 3, 4)], "int64"),
    ("MultiheadAttention", (64, 4), {}, [(10, 1, 64)] * 3, None),
    ("MultiheadAttention", (64, 4), {"batch_first": True}, [(2, 10, 64)] * 3, None),
    ("MultiheadAttention", (64, 4), {"kdim": 32, "vdim": 48, "add_bias_kv": True},
     [(10, 1, 64), (7, 1, 32), (7, 1, 48)], None),
    ("MultiheadAttention", (64, 4), {"add_zero_attn": True, "bias": False}, [(10, 1, 64), (7, 1, 64), (7, 1, 64)],
     None),
    ("MultiheadAttention", (64, 8), {"add_zero_attn": True, "add_bias_kv": True}, [(10, 64), (7, 64), (7, 64)], None),
    ("TransformerEncoderLayer", (64, 4, 128), {"batch_first": True}, [(1, 10, 64)], None),
    ("TransformerEncoderLayer", (64, 4, 128), {"norm_first": True, "activation": "gelu", "bias": False},
     [(10, 2, 64)], None),
    ("TransformerDecoderLayer", (64, 4, 128), {}, [(10, 1, 64), (7, 1, 64)], None),
    ("TransformerDecoderLayer", (32, 2), {"norm_first": True, "batch_first": True}, [(1, 5, 32), (1, 6, 32)], None),
    ("Transformer", (64, 4, 2, 2, 128), {}, [(10, 1, 64), (7, 1, 64)], None),
    ("Transformer", (32, 4, 1, 3, 64), {"batch_first": True, "norm_first": True}, [(2, 6, 32), (2, 5, 32)], None),
    # modules given a module
    ("TransformerEncoder", (Inner("TransformerEncoderLayer", 32, 4, 64, batch_first=True), 2), {}, [(2, 5, 32)], None),
    ("TransformerEncoder", (Inner("TransformerEncoderLayer", 32, 4, 64), 3), {"norm": Inner("LayerNorm", 32)},
     [(5, 2, 32)], None),
    ("TransformerDecoder", (Inner("TransformerDecoderLayer", 32, 4, 64), 2), {}, [(5, 2, 32), (6, 2, 32)], None),
    ("TransformerDecoder", (Inner("TransformerDecoderLayer", 32, 2, 48, norm_first=True, batch_first=True), 1),
     {"norm": Inner("RMSNorm", 32)}, [(2, 5, 32), (2, 3, 32)], None),
    ("DataParallel", (Inner("Linear", 8, 4),), {}, [(3, 8)], None),
]


def multi_id(row) -> str:
    name, args, kwargs, inputs, call = row
    return row_id((name, args, kwargs, [shape for shape, _ in inputs])) + (f"-{call}" if call else "")


def attention_id(row) -> str:
    name, args, kwargs, shapes, _ = row
    return f"{name}{args}{kwargs or ''}-{shapes[0]}"


def every_row() -> dict[str, tuple]:
    """Every row by its key (``table/test id``), as ``(layer, args, kwargs, [(input shape, dtype)], call kwargs)``."""
    rows = {}
    for table, found in (("layers", LAYERS), ("more", MORE), ("recurrent", RECURRENT)):
        rows.update({f"{table}/{row_id(r)}": (*r[:3], [(r[3], None)], {}) for r in found})
    rows.update({f"multi/{multi_id(r)}": r for r in MULTI})
    rows.update({f"attention/{attention_id(r)}": (*r[:3], [(s, r[4]) for s in r[3]], {}) for r in ATTENTION})
    return rows


def nncalc_facts(session, name: str, args: tuple, kwargs: dict, inputs: list, call: dict) -> dict:
    """What nncalc says of one row, in :func:`torch_facts`'s form (plus its parameter formula's value when the
    layer holds no modules): the layer called inside a model's forward on zeros of ``inputs``
    (``[(shape, dtype or None)]``) and traced."""
    from nncalc.frameworks.torch.module import tensors_in

    nn, torch = session.modules["torch.nn"], session.modules["torch"]
    layer = built(nn, name, args, kwargs)
    outputs = []

    class Wrapper(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = layer

        def forward(self, _):
            tensors = [torch.zeros(*shape, dtype=getattr(torch, dtype or "float32")) for shape, dtype in inputs]
            outputs.extend(tensors_in(self.layer(*tensors, **call)))
            return outputs[0]

    graph = session.trace(Wrapper(), [(1,)], None, None)
    facts = _facts(outputs, layer, lambda t: t.dtype.name, sum(c.macs for c in graph.calls))
    (node,) = graph.root.children
    if node.children:  # the parts' formulas make a module's count
        return facts
    return {**facts, "formula": node.params_formula.value if node.params_formula is not None else 0}


def torch_facts(name: str, args: tuple, kwargs: dict, inputs: list, call: dict) -> dict:
    """What real torch says of one row: every output tensor's shape and dtype, the parameters' and buffers'
    names and shapes, the parameter total and its trainable part, and the MACs by torch's ``FlopCounterMode``
    (see ``torch_real.flop_counter``)."""
    import torch
    from torch_real import _tensors, flop_counter

    layer = built(torch.nn, name, args, kwargs).eval()
    tensors = [torch.zeros(shape, dtype=getattr(torch, dtype or "float32")) for shape, dtype in inputs]
    counter = flop_counter()
    with torch.no_grad(), torch.backends.mkldnn.flags(enabled=False), counter:
        outputs = _tensors(layer(*tensors, **call))
    return _facts(outputs, layer, lambda t: str(t.dtype).removeprefix("torch."), counter.get_total_flops() // 2)


def _facts(outputs: list, layer, dtype_name, macs: int) -> dict:
    params = list(layer.parameters())
    return {
        "outputs": [[list(t.shape), dtype_name(t)] for t in outputs],
        "parameters": [[n, list(p.shape)] for n, p in layer.named_parameters()],
        "buffers": [[n, list(b.shape)] for n, b in layer.named_buffers()],
        "params": sum(p.numel() for p in params),
        "trainable": sum(p.numel() for p in params if p.requires_grad),
        "macs": macs,
    }
