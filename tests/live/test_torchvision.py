"""torchvision's classification models (built with ``weights=None``: nothing downloaded): ``nncalc.summary``'s
total equals torch's ``sum(p.numel())`` and torchinfo's, and its output shape a real forward pass's.

torchvision needs its own torch build, so these tests run in a separate virtual environment (README's
``vision-test-command``). Elsewhere they skip when torchvision is not importable; with
``NNCALC_REQUIRE_TORCHVISION=1`` (set by the vision command) a missing torchvision is a failure instead.
"""

from __future__ import annotations

import os

import pytest

REQUIRED = os.environ.get("NNCALC_REQUIRE_TORCHVISION") == "1"
try:
    import torch
    import torchinfo
    import torchvision
except ImportError as error:  # pragma: no cover - depends on the environment
    if REQUIRED:
        raise RuntimeError(f"NNCALC_REQUIRE_TORCHVISION=1 but the vision stack is missing: {error}") from error
    pytest.skip(f"torchvision not importable ({error}); run README's vision-test-command", allow_module_level=True)

import nncalc  # noqa: E402

MODELS = ["alexnet", "vgg16", "resnet18", "resnet50", "mobilenet_v2", "densenet121", "efficientnet_b0",
          "vit_b_16", "squeezenet1_0", "convnext_tiny", "swin_t"]
# torchvision's own published GMACs (its docs call them GFLOPS), where nncalc counts the same operations
PUBLISHED_GMACS = {"resnet18": 1.81, "resnet50": 4.09, "vit_b_16": 17.56, "convnext_tiny": 4.46, "swin_t": 4.49,
                   "mobilenet_v2": 0.30, "efficientnet_b0": 0.39}


@pytest.mark.parametrize("name", MODELS)
def test_classification_model(name):
    torch.manual_seed(0)
    model = torchvision.models.get_model(name, weights=None).eval()
    report = nncalc.summary(model, input_size=(1, 3, 224, 224), verbose=0)
    expected = torchinfo.summary(model, input_size=(1, 3, 224, 224), verbose=0)
    assert report.total_params == sum(p.numel() for p in model.parameters()) == expected.total_params
    assert report.trainable_params == expected.trainable_params
    with torch.no_grad():
        output = model(torch.zeros(1, 3, 224, 224))
    assert report.output_shape == tuple(output.shape)
    assert all(row.rule for row in report.layers)
    if name in PUBLISHED_GMACS:
        assert round(report.total_macs / 1e9, 2) == pytest.approx(PUBLISHED_GMACS[name], abs=0.011)
