"""One library model, both ways: nncalc reading a user file that builds it from the library's source, and the
real library building it on torch's meta device (shapes, no memory). Used by ``test_library_sources.py`` and
``library_table.py``."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

TIMM_MODELS = """
resnet18 resnet34 resnet50 resnet101 resnext50_32x4d wide_resnet50_2 seresnet50 resnet50d resnetv2_50
efficientnet_b0 efficientnet_b1 efficientnet_b3 tf_efficientnet_b0 efficientnetv2_rw_s mobilenetv3_large_100
mobilenetv3_small_100 mobilenetv2_100 mnasnet_100 densenet121 densenet169 convnext_tiny convnext_small
convnext_base vit_base_patch16_224 vit_small_patch16_224 vit_tiny_patch16_224 vit_large_patch16_224
deit_small_patch16_224 deit_base_patch16_224 deit_tiny_patch16_224 swin_tiny_patch4_window7_224
swin_small_patch4_window7_224 swin_base_patch4_window7_224 regnety_040 regnetx_002 regnety_016 inception_v3
inception_v4 legacy_xception dla34 dpn68 ghostnet_100 hrnet_w18 cspdarknet53 cspresnet50 rexnet_100
res2net50_26w_4s resnest50d repvgg_a2 mixnet_s ese_vovnet19b_dw tresnet_m beit_base_patch16_224
coatnet_0_rw_224 maxvit_tiny_rw_224 efficientformer_l1 levit_128 mobilevit_s poolformer_s12 pit_s_224
twins_svt_small visformer_small cait_xxs24_224 convmixer_768_32 resmlp_12_224 mixer_b16_224 gmlp_s16_224
edgenext_small fastvit_t8 caformer_s18 efficientvit_b0 nfnet_l0 eca_resnet33ts selecsls42b
""".split()

DETECTION = ("fasterrcnn", "maskrcnn", "keypointrcnn", "retinanet", "ssd", "fcos")


def torchvision_builders() -> list[str]:
    import torchvision

    return sorted(torchvision.models.list_models())


def _input_shapes(name: str) -> list[tuple]:
    if name.startswith(("r3d", "r2plus1d", "mc3")):
        return [(3, 16, 112, 112)]
    if name.startswith(("mvit", "swin3d", "s3d")):
        return [(3, 16, 224, 224)]
    if name.startswith("raft"):
        return [(3, 128, 128), (3, 128, 128)]
    if name.startswith("inception") or name.endswith("inception_v3"):
        return [(3, 299, 299)]
    return [(3, 224, 224)]


def _analyse(source: str, path: Path, shapes: list[tuple] | None) -> tuple[dict, str | None]:
    """nncalc on the file; ``shapes`` None: ``params_only`` (the module tree, no forward pass)."""
    import nncalc
    from nncalc.errors import NncalcError

    path.write_text(source)
    try:
        if shapes is None:
            report = nncalc.analyze(path, params_only=True)
        else:
            report = nncalc.analyze(path, input_shapes=shapes)
    except NncalcError as error:
        return {}, str(error).splitlines()[0][-300:]
    return {"total": report.total_params, "trainable": report.trainable_params,
            "output": list(report.output_shape) if report.output_shape else None}, None


def _real_parameters(build) -> dict:
    """The real model's parameters, without a forward pass (a detection model's output depends on the data)."""
    import torch

    with torch.device("meta"):
        return _counts(build(), None)


def _counts(model, output_shape: list | None) -> dict:
    """The model's total and trainable parameters (a shared tensor once) beside its output shape."""
    params = {id(p): p for p in model.parameters()}
    return {"total": sum(p.numel() for p in params.values()),
            "trainable": sum(p.numel() for p in params.values() if p.requires_grad), "output": output_shape}


def _real(build, shapes: list[tuple]) -> dict:
    import torch

    try:
        with torch.device("meta"):
            model = build().eval()
    except NotImplementedError:  # a builder that reads tensors' values (RegNet's width plan): build, then move
        with torch.no_grad():
            model = build().eval().to("meta")
    with torch.device("meta"):
        inputs = [torch.zeros(1, *shape) for shape in shapes]
        with torch.no_grad():
            out = model(*inputs)
    if isinstance(out, dict):
        out = next(iter(out.values()))
    if isinstance(out, (list, tuple)):
        out = out[0] if not isinstance(out[0], (list, tuple)) else out[0][0]
    return _counts(model, list(out.shape) if hasattr(out, "shape") else None)


def run_torchvision(name: str, folder: Path) -> dict:
    """nncalc on ``model = torchvision.models.get_model(name)`` (no weights downloaded) against torchvision."""
    import torchvision

    builder = torchvision.models.get_model_builder(name)
    extra = {"weights_backbone": None} if "weights_backbone" in inspect.signature(builder).parameters else {}
    arguments = "".join(f", {k}={v!r}" for k, v in extra.items())
    shapes = _input_shapes(name)
    source = f"import torchvision\n\nmodel = torchvision.models.get_model({name!r}{arguments})\n"
    detection = name.startswith(DETECTION)  # boxes of data-dependent number: the parameters only
    static, refused = _analyse(source, folder / f"tv_{name}.py", None if detection else shapes)
    build = lambda: torchvision.models.get_model(name, **extra)  # noqa: E731
    real = None if refused else _real_parameters(build) if detection else _real(build, shapes)
    return {"name": name, "static": static or None, "real": real, "refused": refused, "params_only": detection}


def run_timm(name: str, folder: Path) -> dict:
    """nncalc on ``model = timm.create_model(name)`` against timm."""
    import timm

    shape = tuple(timm.get_pretrained_cfg_value(name, "input_size") or (3, 224, 224))
    source = f"import timm\n\nmodel = timm.create_model({name!r}, pretrained=False)\n"
    static, refused = _analyse(source, folder / f"timm_{name.replace('.', '_')}.py", [shape])
    real = _real(lambda: timm.create_model(name, pretrained=False), [shape]) if not refused else None
    return {"name": name, "static": static or None, "real": real, "refused": refused}
