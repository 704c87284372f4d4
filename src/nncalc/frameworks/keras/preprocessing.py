"""Keras preprocessing and augmentation layers: no weights, and (but for crops and encodings) the input's shape.

Image augmentation (``RandomFlip``, ``RandomRotation``, ``RandomZoom``, …, ``RandAugment``, ``MixUp``), noise
and regularisation layers keep the shape; the crops (``CenterCrop``, ``RandomCrop``) set the spatial size; the
encodings (``CategoryEncoding``, ``Discretization``, ``Hashing``, ``StringLookup``, ``IntegerLookup``,
``TextVectorization``) give integer indices of the input's shape, or a one-hot/multi-hot axis of the
vocabulary's size, as Keras 3's ``compute_output_shape`` does. A vocabulary that only ``adapt()`` would learn
has an unknown size (``None``), as in Keras before ``adapt``.

Each class lists its real constructor's parameters (after ``self``, before ``**kwargs``) in ``_params``; a
call that does not bind is Keras's ``TypeError``.
"""

from __future__ import annotations

from nncalc.frameworks.keras.builtin import BuiltinLayer, resolve_data_format
from nncalc.frameworks.common.errors import unknown_value
from nncalc.frameworks.keras.errors import KerasTypeError, KerasValueError, shape_text

REQUIRED = object()
VALUE_RANGE = (0, 255)
OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def bind_arguments(kind: str, params: tuple, args: tuple, kwargs: dict) -> dict:
    """``params`` (``(name, default)`` pairs, ``REQUIRED`` for none) bound to ``args`` and the matching ``kwargs``
    (popped from it: the rest go to ``Layer``)."""
    if len(args) > len(params):
        raise KerasTypeError(f"{kind}() takes {len(params)} positional arguments but {len(args)} were given",
                             hint=f"the signature is {kind}({_signature(params)}, **kwargs)")
    values = dict(zip((name for name, _ in params), args))
    for name, default in params[len(args):]:
        if name in kwargs:
            values[name] = kwargs.pop(name)
        elif default is REQUIRED:
            raise KerasTypeError(f"{kind}() missing 1 required positional argument: '{name}'",
                                 hint=f"the signature is {kind}({_signature(params)}, **kwargs)")
        else:
            values[name] = default
    duplicated = [name for name in values if name in kwargs]
    if duplicated:
        raise KerasTypeError(f"{kind}() got multiple values for argument '{duplicated[0]}'")
    return values


def _signature(params: tuple) -> str:
    return ", ".join(name if default is REQUIRED else f"{name}={default!r}" for name, default in params)


class Adaptable:
    """A layer with ``adapt(data)``: what it learns from data (a vocabulary, statistics, bins) is a value, never
    a weight's shape, so nncalc has nothing to do."""

    def adapt(self, data, *args, **kwargs) -> None:
        """Does nothing: the data is not read."""


class _Vocabulary(Adaptable):
    """``vocabulary_size()`` and ``get_vocabulary()`` of a lookup: the special tokens (mask in ``'int'`` mode,
    OOV) then the given vocabulary; learned by ``adapt()``, an unknown value (a model sized by it is refused
    with the ``--set`` fix)."""

    def _specials(self) -> list:
        raise NotImplementedError

    def vocabulary_size(self):
        if not isinstance(self.vocabulary, (list, tuple)):
            return unknown_value(f"{self.name}.vocabulary_size() (learned by adapt())")
        return len(self._specials()) + len(self.vocabulary)

    def get_vocabulary(self, include_special_tokens=True):
        if not isinstance(self.vocabulary, (list, tuple)):
            return unknown_value(f"{self.name}.get_vocabulary() (learned by adapt())")
        return (self._specials() if include_special_tokens else []) + list(self.vocabulary)


class _Preprocessing(BuiltinLayer):
    """A layer without weights whose constructor's parameters are ``_params``; the output keeps the input's shape."""

    _params: tuple = ()

    def __init__(self, *args, **kwargs):
        values = bind_arguments(type(self).__name__, self._params, args, kwargs)
        super().__init__(**kwargs)
        for name, value in values.items():
            setattr(self, name, value)
        if "data_format" in values:
            self.data_format = resolve_data_format(values["data_format"], self._state)
        self._check_arguments()

    def _check_arguments(self) -> None:
        """Keras's checks of the constructor's values."""


def _same_shape(name: str, params: tuple, doc: str, keeps_dtype: bool = False) -> type:
    return type(name, (_Preprocessing,), {"_params": params, "__doc__": doc, "__module__": __name__,
                                          "_keeps_dtype": keeps_dtype})


_SEED_FORMAT = (("seed", None), ("data_format", None))
_FILL = (("fill_mode", "reflect"), ("interpolation", "bilinear"), ("seed", None), ("fill_value", 0.0),
         ("data_format", None))

SAME_SHAPE = [
    _same_shape("RandomFlip", (("mode", "horizontal_and_vertical"), *_SEED_FORMAT),
                "``keras.layers.RandomFlip(mode='horizontal_and_vertical')``."),
    _same_shape("RandomRotation", (("factor", REQUIRED), *_FILL), "``keras.layers.RandomRotation(factor)``."),
    _same_shape("RandomZoom", (("height_factor", REQUIRED), ("width_factor", None), *_FILL),
                "``keras.layers.RandomZoom(height_factor, width_factor=None)``."),
    _same_shape("RandomTranslation", (("height_factor", REQUIRED), ("width_factor", REQUIRED), *_FILL),
                "``keras.layers.RandomTranslation(height_factor, width_factor)``."),
    _same_shape("RandomContrast", (("factor", REQUIRED), ("value_range", VALUE_RANGE), ("seed", None)),
                "``keras.layers.RandomContrast(factor)``."),
    _same_shape("RandomBrightness", (("factor", REQUIRED), ("value_range", VALUE_RANGE), ("seed", None)),
                "``keras.layers.RandomBrightness(factor)``."),
    _same_shape("RandomShear", (("x_factor", 0.0), ("y_factor", 0.0), ("interpolation", "bilinear"),
                                ("fill_mode", "reflect"), ("fill_value", 0.0), ("data_format", None), ("seed", None)),
                "``keras.layers.RandomShear``."),
    _same_shape("RandomPerspective", (("factor", 1.0), ("scale", 1.0), ("interpolation", "bilinear"),
                                      ("fill_value", 0.0), *_SEED_FORMAT), "``keras.layers.RandomPerspective``."),
    _same_shape("RandomElasticTransform", (("factor", 1.0), ("scale", 1.0), ("interpolation", "bilinear"),
                                           ("fill_mode", "reflect"), ("fill_value", 0.0), ("value_range", VALUE_RANGE),
                                           *_SEED_FORMAT), "``keras.layers.RandomElasticTransform``."),
    _same_shape("RandomErasing", (("factor", 1.0), ("scale", (0.02, 0.33)), ("fill_value", None),
                                  ("value_range", VALUE_RANGE), *_SEED_FORMAT), "``keras.layers.RandomErasing``."),
    _same_shape("RandomGaussianBlur", (("factor", 1.0), ("kernel_size", 3), ("sigma", 1.0),
                                       ("value_range", VALUE_RANGE), ("data_format", None), ("seed", None)),
                "``keras.layers.RandomGaussianBlur``."),
    _same_shape("RandomColorDegeneration", (("factor", REQUIRED), ("value_range", VALUE_RANGE), ("data_format", None),
                                            ("seed", None)), "``keras.layers.RandomColorDegeneration(factor)``."),
    _same_shape("RandomColorJitter", (("value_range", VALUE_RANGE), ("brightness_factor", None),
                                      ("contrast_factor", None), ("saturation_factor", None), ("hue_factor", None),
                                      *_SEED_FORMAT), "``keras.layers.RandomColorJitter``."),
    _same_shape("RandomHue", (("factor", REQUIRED), ("value_range", VALUE_RANGE), ("data_format", None),
                              ("seed", None)), "``keras.layers.RandomHue(factor)``."),
    _same_shape("RandomSaturation", (("factor", REQUIRED), ("value_range", VALUE_RANGE), ("data_format", None),
                                     ("seed", None)), "``keras.layers.RandomSaturation(factor)``."),
    _same_shape("RandomSharpness", (("factor", REQUIRED), ("value_range", VALUE_RANGE), ("data_format", None),
                                    ("seed", None)), "``keras.layers.RandomSharpness(factor)``."),
    _same_shape("RandomPosterization", (("factor", REQUIRED), ("value_range", VALUE_RANGE), ("data_format", None),
                                        ("seed", None)), "``keras.layers.RandomPosterization(factor)`` (1 to 8 bits)."),
    _same_shape("RandomInvert", (("factor", 1.0), ("value_range", VALUE_RANGE), *_SEED_FORMAT),
                "``keras.layers.RandomInvert``."),
    _same_shape("RandomGrayscale", (("factor", 0.5), ("data_format", None), ("seed", None)),
                "``keras.layers.RandomGrayscale``: the channels stay (grey in every one).", keeps_dtype=True),
    _same_shape("Solarization", (("addition_factor", 0.0), ("threshold_factor", 0.0), ("value_range", VALUE_RANGE),
                                 ("seed", None)), "``keras.layers.Solarization``."),
    _same_shape("AutoContrast", (("value_range", VALUE_RANGE),), "``keras.layers.AutoContrast``."),
    _same_shape("ContrastLimitedAdaptiveHistogramEqualization",
                (("value_range", VALUE_RANGE), ("clip_limit", 4.0), ("tile_grid_size", (8, 8)), ("data_format", None)),
                "``keras.layers.ContrastLimitedAdaptiveHistogramEqualization``."),
    _same_shape("AugMix", (("value_range", VALUE_RANGE), ("num_chains", 3), ("chain_depth", 3), ("factor", 0.3),
                           ("alpha", 1.0), ("all_ops", True), ("interpolation", "bilinear"), *_SEED_FORMAT),
                "``keras.layers.AugMix``."),
    _same_shape("RandAugment", (("value_range", VALUE_RANGE), ("num_ops", 2), ("factor", 0.5),
                                ("interpolation", "bilinear"), *_SEED_FORMAT), "``keras.layers.RandAugment``."),
    _same_shape("CutMix", (("factor", 1.0), *_SEED_FORMAT), "``keras.layers.CutMix``."),
    _same_shape("MixUp", (("alpha", 0.2), ("data_format", None), ("seed", None)), "``keras.layers.MixUp``."),
    _same_shape("MaxNumBoundingBoxes", (("max_number", REQUIRED), ("fill_value", -1)),
                "``keras.layers.MaxNumBoundingBoxes(max_number)``: images pass unchanged."),
    _same_shape("GaussianNoise", (("stddev", REQUIRED), ("seed", None)), "``keras.layers.GaussianNoise(stddev)``."),
    _same_shape("GaussianDropout", (("rate", REQUIRED), ("seed", None)), "``keras.layers.GaussianDropout(rate)``."),
    _same_shape("AlphaDropout", (("rate", REQUIRED), ("noise_shape", None), ("seed", None)),
                "``keras.layers.AlphaDropout(rate)``."),
    _same_shape("ActivityRegularization", (("l1", 0.0), ("l2", 0.0)), "``keras.layers.ActivityRegularization``."),
    _same_shape("Masking", (("mask_value", 0.0),), "``keras.layers.Masking(mask_value=0.0)``.", keeps_dtype=True),
    _same_shape("UnitNormalization", (("axis", -1),), "``keras.layers.UnitNormalization(axis=-1)``."),
]


class Equalization(_Preprocessing):
    """``keras.layers.Equalization``: the image's shape. Keras 3 (3.15) runs it on tensors and inside a subclassed
    model, but cannot put it in a functional or Sequential model (its output is reported as part of a cycle), so
    neither does nncalc (:func:`~nncalc.frameworks.keras.models.refuse_cycles`)."""

    _params = (("value_range", VALUE_RANGE), ("bins", 256), ("data_format", None))
    _graph_refusal = ("Keras 3 cannot build Equalization into a functional or Sequential model "
                      "(\"from operation 'equalization' is part of a cycle\")",
                      "apply it to the data (dataset.map) or call it inside a subclassed model's call()")


class MelSpectrogram(_Preprocessing):
    """``keras.layers.MelSpectrogram``: audio ``(batch, samples)`` → ``(batch, num_mel_bins, frames)`` with
    ``frames = (samples + sequence_stride + 1) // sequence_stride`` (Keras's rule; centred frames)."""

    _params = (("fft_length", 2048), ("sequence_stride", 512), ("sequence_length", None), ("window", "hann"),
               ("sampling_rate", 16000), ("num_mel_bins", 128), ("min_freq", 20.0), ("max_freq", None),
               ("power_to_db", True), ("top_db", 80.0), ("mag_exp", 2.0), ("min_power", 1e-10), ("ref_power", 1.0))

    def _forward(self, shape):
        samples = shape[0] if len(shape) == 1 else shape[1]
        frames = None if samples is None else (samples + self.sequence_stride + 1) // self.sequence_stride
        if len(shape) == 1:
            return (self.num_mel_bins, frames), [], 0
        return (shape[0], self.num_mel_bins, frames), [], 0


class _Crop(_Preprocessing):
    """Images (batch, H, W, C) cropped (or resized, when smaller) to ``(height, width)``."""

    def _check_arguments(self):
        for name in ("height", "width"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise KerasValueError(f"`{name}` must be a positive int. Received: {name}={value!r}")

    def _check_shape(self, shape):
        if len(shape) not in (3, 4):
            raise KerasValueError(
                f"{type(self).__name__} expects images of rank 3 (unbatched) or 4 (batched); received "
                f"{shape_text(shape)}, in {self._describe()}",
                hint="give it images (batch, height, width, channels)",
            )

    def _forward(self, shape):
        out = list(shape)
        first = len(shape) - 3 + (self.data_format == "channels_first")
        out[first], out[first + 1] = self.height, self.width
        return tuple(out), [], 0


class CenterCrop(_Crop):
    """``keras.layers.CenterCrop(height, width, data_format=None)``."""

    _params = (("height", REQUIRED), ("width", REQUIRED), ("data_format", None))


class RandomCrop(_Crop):
    """``keras.layers.RandomCrop(height, width, seed=None, data_format=None)``."""

    _params = (("height", REQUIRED), ("width", REQUIRED), ("seed", None), ("data_format", None))


def _check_mode(mode, allowed=OUTPUT_MODES) -> None:
    if mode not in allowed:
        raise KerasValueError(f"Unknown arg for `output_mode`: expected one of {allowed}. "
                              f"Received: output_mode={mode!r}")


def _encoded(shape: tuple, mode: str, depth, one_hot_squeezes: bool = True) -> tuple:
    """The shape of indices ``shape`` encoded in ``mode`` over ``depth`` values (IndexLookup's and Hashing's rule):
    ``one_hot`` adds an axis (replacing a last axis of 1), the others replace the last axis."""
    if mode == "int":
        return tuple(shape)
    if not shape:
        return (depth,)
    if mode == "one_hot":
        if one_hot_squeezes and len(shape) > 1 and shape[-1] == 1:
            return (*shape[:-1], depth)
        return (*shape, depth)
    return (*shape[:-1], depth)


class CategoryEncoding(_Preprocessing):
    """``keras.layers.CategoryEncoding(num_tokens, output_mode='multi_hot')``: (batch, …, num_tokens)."""

    _params = (("num_tokens", None), ("output_mode", "multi_hot"), ("sparse", False))

    def _check_arguments(self):
        _check_mode(self.output_mode, ("one_hot", "multi_hot", "count"))
        if self.num_tokens is None or isinstance(self.num_tokens, bool) or not isinstance(self.num_tokens, int) \
                or self.num_tokens < 1:
            raise KerasValueError("`num_tokens` must be >= 1 and given as an int. "
                                  f"Received: num_tokens={self.num_tokens!r}")

    def _forward(self, shape):
        if self.output_mode == "one_hot" and len(shape) == 1:
            return (*shape, self.num_tokens), [], 0
        return _encoded(shape, self.output_mode, self.num_tokens), [], 0


class Discretization(Adaptable, _Preprocessing):
    """``keras.layers.Discretization(bin_boundaries=None, num_bins=None, …)``: bucket indices (int32) of the
    input's shape, or an encoding over ``len(bin_boundaries) + 1`` buckets."""

    _params = (("bin_boundaries", None), ("num_bins", None), ("epsilon", 0.01), ("output_mode", "int"),
               ("sparse", False))

    def _check_arguments(self):
        _check_mode(self.output_mode, ("int", "one_hot", "multi_hot", "count"))
        if self.bin_boundaries is not None and self.num_bins is not None:
            raise KerasValueError("Both `num_bins` and `bin_boundaries` should not be set. "
                                  f"Received: num_bins={self.num_bins} and bin_boundaries={self.bin_boundaries}")

    def _output_dtype(self, tensor) -> str:
        return "int32" if self.output_mode == "int" else self.compute_dtype

    def _forward(self, shape):
        if self.output_mode == "int":
            return tuple(shape), [], 0
        depth = len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins
        if self.output_mode == "one_hot":
            return _encoded(shape, "one_hot", depth), [], 0
        return ((shape[0], *shape[2:], depth) if len(shape) >= 2 else (depth,)), [], 0


class _Bins(_Preprocessing):
    """Hashing layers: their dtype (``int64`` in ``'int'`` mode, else floatx) is the output's, as in Keras."""

    def __init__(self, *args, **kwargs):
        position = [name for name, _ in self._params].index("output_mode")
        mode = kwargs.get("output_mode", args[position] if len(args) > position else "int")
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if mode == "int" else self._state.floatx
        super().__init__(*args, **kwargs)


class Hashing(_Bins):
    """``keras.layers.Hashing(num_bins, …)``: bin indices (int64) of the input's shape, or an encoding over
    ``num_bins``."""

    _params = (("num_bins", REQUIRED), ("mask_value", None), ("salt", None), ("output_mode", "int"),
               ("sparse", False))

    def _check_arguments(self):
        _check_mode(self.output_mode, ("int", "one_hot", "multi_hot", "count"))
        if self.num_bins is None or self.num_bins <= 0:
            raise KerasValueError(f"The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                                  f"Received: num_bins={self.num_bins}.")

    def _forward(self, shape):
        if self.output_mode == "int":
            return tuple(shape), [], 0
        return (*shape[:-1], self.num_bins), [], 0


class HashedCrossing(_Bins):
    """``keras.layers.HashedCrossing(num_bins, output_mode='int')`` on ``[x, y]`` of one shape: crossed-feature
    bins (int64) of that shape, or a one-hot/multi-hot axis of ``num_bins``."""

    _params = (("num_bins", REQUIRED), ("output_mode", "int"), ("sparse", False))

    def _check_arguments(self):
        _check_mode(self.output_mode, ("int", "one_hot"))

    def _check_input(self, tensors) -> None:
        if len(tensors) != 2:
            raise KerasValueError(f"{self._describe()} expects as input a list/tuple of 2 tensors; received "
                                  f"{len(tensors)}")
        if tensors[0].shape[-1] != tensors[1].shape[-1]:
            raise KerasValueError(f"{self._describe()} expects the two input tensors to have identical shapes; "
                                  f"received {shape_text(tensors[0].shape)} and {shape_text(tensors[1].shape)}")

    def _forward(self, shape):
        if self.output_mode == "int":
            return tuple(shape), [], 0
        if self.output_mode == "one_hot" and shape[-1] != 1:
            return (*shape, self.num_bins), [], 0
        return (*shape[:-1], self.num_bins), [], 0


class _Lookup(_Vocabulary, _Preprocessing):
    """``StringLookup`` / ``IntegerLookup``: indices (int64) of the input's shape, or an encoding over the
    vocabulary: ``max_tokens`` when ``pad_to_max_tokens``, else the given vocabulary plus the mask and OOV
    indices (unknown when only ``adapt()`` would give it)."""

    def _check_arguments(self):
        _check_mode(self.output_mode)
        if self.output_mode == "tf_idf" and self.idf_weights is None and self.vocabulary is not None:
            raise KerasValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")

    def _output_dtype(self, tensor) -> str:
        if self.invert:
            return "string" if type(self).__name__ == "StringLookup" else "int64"
        return "int64" if self.output_mode == "int" else self._state.floatx

    def _specials(self) -> list:
        mask = [self.mask_token] if self.mask_token is not None and self.output_mode == "int" else []
        return mask + [self.oov_token] * self.num_oov_indices

    def _depth(self):
        if self.pad_to_max_tokens and self.max_tokens is not None:
            return self.max_tokens
        if isinstance(self.vocabulary, (list, tuple)):
            return len(self.vocabulary) + self.num_oov_indices  # the mask has an index in 'int' mode only
        return None

    def _forward(self, shape):
        return _encoded(shape, self.output_mode, None if self.output_mode == "int" else self._depth()), [], 0


class StringLookup(_Lookup):
    """``keras.layers.StringLookup``: strings to vocabulary indices."""

    _params = (("max_tokens", None), ("num_oov_indices", 1), ("mask_token", None), ("oov_token", "[UNK]"),
               ("vocabulary", None), ("idf_weights", None), ("invert", False), ("output_mode", "int"),
               ("pad_to_max_tokens", False), ("sparse", False), ("encoding", "utf-8"), ("salt", None))


class IntegerLookup(_Lookup):
    """``keras.layers.IntegerLookup``: integers to vocabulary indices."""

    _params = (("max_tokens", None), ("num_oov_indices", 1), ("mask_token", None), ("oov_token", -1),
               ("vocabulary", None), ("vocabulary_dtype", "int64"), ("idf_weights", None), ("invert", False),
               ("output_mode", "int"), ("sparse", False), ("pad_to_max_tokens", False), ("oov_method", "floormod"),
               ("salt", None))


class TextVectorization(_Vocabulary, _Preprocessing):
    """``keras.layers.TextVectorization``: strings to token indices (batch, ``output_sequence_length``), int64;
    other modes encode over the vocabulary as ``StringLookup`` does."""

    _params = (("max_tokens", None), ("standardize", "lower_and_strip_punctuation"), ("split", "whitespace"),
               ("ngrams", None), ("output_mode", "int"), ("output_sequence_length", None),
               ("pad_to_max_tokens", False), ("vocabulary", None), ("idf_weights", None), ("sparse", False),
               ("ragged", False), ("encoding", "utf-8"))

    def _check_arguments(self):
        _check_mode(self.output_mode)
        if self.output_sequence_length is not None and self.output_mode != "int":
            raise KerasValueError("`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                                  f"Received output_sequence_length={self.output_sequence_length}.")

    def _output_dtype(self, tensor) -> str:
        return "int64" if self.output_mode == "int" else self._state.floatx

    def _specials(self) -> list:
        return (["", "[UNK]"] if self.output_mode == "int" else ["[UNK]"])

    def _forward(self, shape):
        if self.output_mode == "int":
            return (shape[0], self.output_sequence_length), [], 0
        tokens = tuple(shape) + (None,) if self.split is not None else (tuple(shape) + (1,) if len(shape) <= 1
                                                                         else tuple(shape))
        if self.pad_to_max_tokens and self.max_tokens is not None:
            depth = self.max_tokens
        elif isinstance(self.vocabulary, (list, tuple)):
            depth = len(self.vocabulary) + 1  # the OOV token; no mask outside 'int' mode
        else:
            depth = None
        return _encoded(tokens, self.output_mode, depth), [], 0

CLASSES = [*SAME_SHAPE, Equalization, MelSpectrogram, CenterCrop, RandomCrop, CategoryEncoding, Discretization, Hashing,
           HashedCrossing, StringLookup, IntegerLookup, TextVectorization]
