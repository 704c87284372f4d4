"""Mistakes in Keras model code: each is a clear nncalc error naming the layer and the fix, raised where real
Keras 3 also rejects the code (checked on the real thing), and never a silent zero for a layer without rule.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402  (the oracle: tests only)
import pytest  # noqa: E402

from nncalc.errors import InterpreterError, Location, NncalcError, ShapeError, UnknownLayer  # noqa: E402
from nncalc.frameworks.keras import new_session  # noqa: E402
from nncalc.location import set_location  # noqa: E402

# (description, code run with ``k`` = keras or nncalc's keras, nncalc error class, words of nncalc's message)
KERAS_REJECTS = [
    ("conv2d on 3D input", "k.layers.Conv2D(8, 3)(k.Input((32, 32)))", ShapeError,
     "Conv2D expects 4D input (batch, H, W, C), received (None, 32, 32)"),
    ("conv1d on 4D input", "k.layers.Conv1D(8, 3)(k.Input((32, 32, 3)))", ShapeError,
     "Conv1D expects 3D input (batch, L, C), received (None, 32, 32, 3)"),
    ("pooling on 2D input", "k.layers.MaxPooling2D()(k.Input((10,)))", ShapeError, "MaxPooling2D expects 4D input"),
    ("dense on 1D input", "k.layers.Dense(3)(k.Input(()))", ShapeError, "Dense expects at least 2D input"),
    ("unknown activation", "k.layers.Dense(3, activation='foo')", ShapeError,
     "Could not interpret activation function identifier: 'foo'"),
    ("unknown activation layer", "k.layers.Activation('relu7')", ShapeError, "identifier: 'relu7'"),
    ("unknown keyword", "k.layers.Dense(3, foo=1)", ShapeError,
     "Unrecognized keyword arguments passed to Dense: {'foo': 1}"),
    ("missing kernel_size", "k.layers.Conv2D(8)", InterpreterError, "Conv2D(): missing a required argument"),
    ("bad units", "k.layers.Dense(0)", ShapeError, "expected a positive integer. Received: units=0"),
    ("float units", "k.layers.Dense(3.5)", ShapeError, "units=3.5"),
    ("bad rate", "k.layers.Dropout(1.5)", ShapeError, "rate=1.5"),
    ("causal Conv2D", "k.layers.Conv2D(3, 3, padding='causal')", ShapeError, "Received: 'causal'"),
    ("strides with dilation", "k.layers.Conv2D(3, 3, strides=2, dilation_rate=2)", ShapeError,
     "`strides > 1` not supported in conjunction with `dilation_rate > 1`"),
    ("kernel of wrong rank", "k.layers.Conv2D(3, (3, 3, 3))", ShapeError, "kernel_size"),
    ("filters not divisible", "k.layers.Conv2D(5, 3, groups=2)", ShapeError, "evenly divisible"),
    ("channels not divisible", "k.layers.Conv2D(4, 3, groups=2)(k.Input((8, 8, 3)))", ShapeError,
     "the input has 3 channels"),
    ("window too large", "k.layers.Conv2D(3, 5)(k.Input((3, 3, 3)))", ShapeError, "leaves no output along H"),
    ("pool too large", "k.layers.MaxPooling2D()(k.Input((1, 1, 3)))", ShapeError, "leaves no output along H"),
    ("pool padding case", "k.layers.MaxPooling2D(padding='SAME')(k.Input((4, 4, 3)))", ShapeError, "padding='SAME'"),
    ("reshape size", "k.layers.Reshape((3, 4))(k.Input((5,)))", ShapeError,
     "receives 5 elements per sample (5,), which cannot be reshaped into (3, 4)"),
    ("reshape two -1", "k.layers.Reshape((-1, -1))", ShapeError, "at most one unknown dimension"),
    ("permute dims", "k.layers.Permute((1, 3))", ShapeError, "must be consecutive and start from 1"),
    ("permute rank", "k.layers.Permute((2, 1))(k.Input((3, 8, 8)))", ShapeError, "Permute expects 3D input"),
    ("relu max_value", "k.layers.ReLU(max_value=-1)", ShapeError, "max_value"),
    ("input without shape", "k.Input()", ShapeError, "You must pass a `shape` argument."),
    ("input shape int", "k.Input(shape=32)", ShapeError, "Cannot convert '32' to a shape"),
    ("dense unknown last axis", "k.layers.Dense(3)(k.Input((None,)))", ShapeError, "last axis"),
    ("trainable not bool", "k.layers.Dense(3, trainable='no')", ShapeError, "Expected `trainable` to be a boolean"),
    ("batch_input_shape", "k.layers.Dense(3, batch_input_shape=(None, 3))", ShapeError,
     "Unrecognized keyword arguments"),
    ("unbuilt count_params", "k.Sequential([k.layers.Dense(3)]).count_params()", ShapeError, "isn't built"),
    ("unbuilt output_shape", "k.Sequential([k.layers.Dense(3)]).output_shape", InterpreterError,
     "has no defined output shape yet"),
    ("duplicate names", "k.Sequential([k.layers.Dense(3, name='a'), k.layers.Dense(3, name='a')])", ShapeError,
     "should have unique names"),
    ("two input layers", "k.Sequential([k.Input((3,)), k.Input((3,)), k.layers.Dense(3)])", ShapeError,
     "You cannot add a different Input layer"),
    ("sequential of a non-layer", "k.Sequential([3])", InterpreterError,
     "Only instances of `keras.Layer` can be added"),
    # merge layers
    ("add mismatched channels", "k.layers.Add()([k.Input((8, 8, 32)), k.Input((8, 8, 64))])", ShapeError,
     "`Add()` (layer 'add') receives (None, 8, 8, 32) and (None, 8, 8, 64): sizes 32 and 64 along axis 3 differ"),
    ("multiply mismatched", "k.layers.multiply([k.Input((4,)), k.Input((5,))])", ShapeError,
     "receives (None, 4) and (None, 5)"),
    ("concatenate mismatched sizes", "k.layers.Concatenate()([k.Input((8, 8, 3)), k.Input((4, 4, 3))])", ShapeError,
     "may differ only along the concatenation axis -1, but differ along axis 1 (8 vs 4)"),
    ("concatenate ranks", "k.layers.concatenate([k.Input((8, 3)), k.Input((3,))])", ShapeError, "different ranks"),
    ("subtract three inputs", "k.layers.Subtract()([k.Input((3,))] * 3)", ShapeError, "exactly 2 inputs"),
    ("merge a single tensor", "k.layers.Add()(k.Input((3,)))", ShapeError, "should be called on a list of inputs"),
    ("dot sizes", "k.layers.Dot(axes=1)([k.Input((3,)), k.Input((4,))])", ShapeError,
     "the contracted sizes 3 (axis 1) and 4 (axis 1) differ"),
    ("dot axes format", "k.layers.Dot(axes=(1, 2, 3))", ShapeError, "should contain two elements"),
    # convolutions, normalisation, resizing
    ("transpose output_padding", "k.layers.Conv2DTranspose(4, 3, strides=2, output_padding=2)", ShapeError,
     "`output_padding` must be strictly less than `strides`"),
    ("depthwise multiplier", "k.layers.DepthwiseConv2D(3, depth_multiplier=0)", ShapeError, "depth_multiplier"),
    ("separable on flat input", "k.layers.SeparableConv2D(8, 3)(k.Input((10,)))", ShapeError,
     "SeparableConv2D expects 4D input"),
    ("group norm groups", "k.layers.GroupNormalization(groups=5)(k.Input((8, 8, 16)))", ShapeError,
     "Number of groups (5) must be a multiple of the number of channels (16)"),
    ("group norm too many groups", "k.layers.GroupNormalization()(k.Input((8, 8, 16)))", ShapeError,
     "Number of groups (32) cannot be more than the number of channels (16)"),
    ("normalization mean only", "k.layers.Normalization(mean=1.0)", ShapeError, "both `mean` and `variance`"),
    ("layer norm axis", "k.layers.LayerNormalization(axis=3)(k.Input((4, 5)))", ShapeError, "out of bounds"),
    ("upsampling on flat input", "k.layers.UpSampling2D()(k.Input((4,)))", ShapeError, "UpSampling2D expects 4D"),
    ("cropping everything", "k.layers.Cropping2D(4)(k.Input((8, 8, 3)))", ShapeError,
     "`Cropping2D(4)` (layer 'cropping2d'): cropping (4, 4) removes all of H = 8"),
    ("cropping 1d", "k.layers.Cropping1D((3, 3))(k.Input((6, 3)))", ShapeError, "removes all of L = 6"),
    ("transposed conv on flat input", "k.layers.Conv2DTranspose(4, 3)(k.Input((8,)))", ShapeError,
     "Conv2DTranspose expects 4D input"),
    # keras.ops
    ("ops pool padding", "k.ops.average_pool(k.Input((8, 8, 3)), 2, padding='full')", ShapeError,
     "keras.ops.average_pool: `padding` must be 'valid' or 'same'. Received: padding='full'"),
    ("ops depth_to_space channels", "k.ops.depth_to_space(k.Input((4, 4, 6)), 2)", ShapeError,
     "the 6 channels of (None, 4, 4, 6) must be divisible by block_size² = 4"),
    ("ops space_to_depth height", "k.ops.space_to_depth(k.Input((5, 4, 6)), 2)", ShapeError,
     "the height and width of (None, 5, 4, 6) must be divisible by block_size=2"),
    ("ops extract_sequences too long", "k.ops.extract_sequences(k.Input((4,)), 6, 1)", ShapeError,
     "sequence_length=6 is longer than the last axis of (None, 4)"),
    ("ops unfold rank", "k.ops.unfold(k.Input((8, 8)), 2)", ShapeError, "Input must be a 4D tensor"),
    ("ops fold kernel", "k.ops.fold(k.Input((12, 9)), (4, 4), 5)", ShapeError,
     "divisible by the product of kernel_size"),
    ("ops multi_hot axis", "k.ops.multi_hot(k.Input((3,), dtype='int32'), 4, axis=5)", ShapeError,
     "axis must be -1 or between [0, 2), but received 5."),
    ("ops take_along_axis rank", "k.ops.take_along_axis(k.Input((4, 5)), k.Input((4,), dtype='int32'), axis=1)",
     ShapeError, "indices (None, 4) must have the rank of x (None, 4, 5)"),
    ("ops rearrange axis", "k.ops.rearrange(k.Input((4, 5)), 'b h w -> b q')", ShapeError,
     "the output axis 'q' of 'b h w -> b q' is not on the input side"),
]


@pytest.mark.parametrize("code, error, words", [pytest.param(*r[1:], id=r[0]) for r in KERAS_REJECTS])
def test_keras_rejects_and_nncalc_explains(code, error, words):
    with pytest.raises(Exception):
        eval(code, {"k": keras})
    with pytest.raises(error) as info:
        eval(code, {"k": new_session().keras})
    assert words in str(info.value)


def test_segment_reduction_without_num_segments_is_refused_not_guessed():
    """Its length is the largest segment id + 1, a value nncalc never reads."""
    k = new_session().keras

    class Segments(k.layers.Layer):
        def call(self, x):
            return k.ops.segment_sum(x[0], k.ops.zeros((3,), dtype="int32"))

    with pytest.raises(UnknownLayer) as info:
        Segments()(k.Input((3, 4)))
    assert "depends on the values of segment_ids" in str(info.value)
    assert "num_segments=" in info.value.hint


def test_rank_error_names_layer_and_fix():
    k = new_session().keras
    with pytest.raises(ShapeError) as info:
        k.layers.Conv2D(8, 3, activation="relu")(k.Input((32, 32)))
    err = info.value
    assert "`Conv2D(8, 3, activation='relu')` (layer 'conv2d')" in err.message
    assert err.hint == (
        "add a channel axis: keras.Input(shape=(32, 32, 1)) or layers.Reshape((32, 32, 1)) before this layer"
    )
    with pytest.raises(ShapeError) as info:
        k.layers.Conv2D(8, 3)(k.layers.Flatten()(k.Input((4, 4, 3))))
    assert "input is flat" in info.value.hint
    with pytest.raises(ShapeError) as info:
        k.layers.Conv2D(8, 3)(k.Input((4, 4, 4, 3)))
    assert info.value.hint.startswith("use Conv3D for a 5D input (batch, D, H, W, C)")


def test_error_in_sequential_points_at_the_layer_line():
    k = new_session().keras
    set_location(Location("model.py", 3))
    conv = k.layers.Conv2D(8, 3)
    set_location(Location("model.py", 5))
    try:
        with pytest.raises(ShapeError) as info:
            k.Sequential([k.Input((28, 28)), conv])
    finally:
        set_location(None)
    assert info.value.location == Location("model.py", 3)
    assert str(info.value).startswith("model.py:3:1: Conv2D expects 4D input")


def test_layer_without_rule_raises_unknown_layer_when_used():
    k = new_session().keras
    saved_model = k.layers.TFSMLayer
    with pytest.raises(UnknownLayer, match=r"keras.layers.TFSMLayer loads a TensorFlow SavedModel from a file"):
        saved_model("exported/", call_endpoint="serve")
    with pytest.raises(UnknownLayer, match="keras.layers.JaxLayer"):
        k.layers.JaxLayer(print)
    with pytest.raises(UnknownLayer, match="keras.ops.add"):
        k.ops.add(1, 2)
    with pytest.raises(UnknownLayer, match="keras.ops.associative_scan"):
        k.ops.associative_scan(k.ops.add, k.Input((3,)))


def test_name_keras_does_not_have_gets_a_suggestion():
    session = new_session()
    layers = session.keras.layers
    with pytest.raises(InterpreterError) as info:
        layers.Conv2d
    assert str(info.value) == "keras.layers has no attribute 'Conv2d'; did you mean 'Conv2D'?"
    assert isinstance(info.value, AttributeError)
    assert getattr(layers, "Conv2d", None) is None and not hasattr(layers, "_private")
    with pytest.raises(InterpreterError, match="did you mean 'Dense'"):
        session.modules["tensorflow.keras.layers"].Dence
    with pytest.raises(InterpreterError, match="did you mean 'Adam'"):
        session.keras.optimizers.Adma


def test_shared_layer_on_incompatible_input():
    k = new_session().keras
    dense = k.layers.Dense(4)
    dense(k.Input((3,)))
    with pytest.raises(ShapeError, match=r"was built for inputs with 3 along axis -1 but receives \(None, 5\)"):
        dense(k.Input((5,)))


def test_layer_called_on_a_non_tensor():
    k = new_session().keras
    with pytest.raises(InterpreterError, match="symbolic tensors only"):
        k.layers.Dense(3)([1.0, 2.0])


def test_functional_model_not_connected_to_its_inputs():
    def build(k):
        a, b = k.Input((4,)), k.Input((4,))
        return k.Model(a, k.layers.Dense(2)(b))

    with pytest.raises(ValueError):
        build(keras)
    with pytest.raises(ShapeError, match="not connected to its `inputs`"):
        build(new_session().keras)


def test_errors_are_nncalc_errors_with_python_types():
    k = new_session().keras
    for code, kind in [("k.layers.Dense(3, foo=1)", ValueError), ("k.layers.Conv2D(8)", TypeError),
                       ("k.layers.Dense2", AttributeError)]:
        with pytest.raises(kind) as info:
            eval(code, {"k": k})
        assert isinstance(info.value, NncalcError)


def test_unknown_values_get_the_interpreters_message():
    unknown = pytest.importorskip("nncalc.interpreter.unknown").Unknown
    k = new_session().keras
    data = unknown("mylib.load()", None, "mylib")
    for code in ("k.Input(shape=data.shape)", "k.Input(shape=(data, 3))", "k.layers.Dense(3)(data)",
                 "k.Sequential([data])", "k.Model(data, data)"):
        with pytest.raises(InterpreterError, match="comes from `mylib`"):
            eval(code, {"k": k, "data": data})


def test_lambda_nncalc_cannot_follow_is_unsupported_unless_output_shape_is_given():
    k = new_session().keras
    inp = k.Input((8, 3))
    with pytest.raises(UnknownLayer) as info:
        k.layers.Lambda(lambda t: k.ops.associative_scan(k.ops.add, t, axis=1), name="spectrum")(inp)
    assert "`Lambda(<function" in info.value.message and "(layer 'spectrum')" in info.value.message
    assert "keras.ops.associative_scan" in info.value.message and "output_shape=" in info.value.hint
    out = k.layers.Lambda(lambda t: k.ops.associative_scan(k.ops.add, t, axis=1), output_shape=(8, 6))(inp)
    assert out.shape == (None, 8, 6)
    traced = k.layers.Lambda(lambda t: k.ops.mean(t * 2.0, axis=1, keepdims=True))(inp)
    assert traced.shape == (None, 1, 3)

    class Bias(k.layers.Layer):
        def build(self, input_shape):
            self.b = self.add_weight(shape=(4,), name="b")

        def call(self, x):
            return x + self.b

    with pytest.raises(ShapeError, match=r"^`\+` receives \(None, 8, 3\) and \(4,\): sizes 3 and 4 along axis 2"):
        Bias()(inp)


def test_ops_and_operators_outside_a_layer_check_shapes():
    k = new_session().keras
    a, b = k.Input((3,)), k.Input((4, 5))
    with pytest.raises(ShapeError, match=r"keras.ops.matmul receives \(None, 3\) and \(None, 4, 5\)"):
        k.ops.matmul(a, b)
    with pytest.raises(ShapeError, match=r"^`\*` receives \(None, 3\) and \(None, 4, 5\)"):
        a * b
    with pytest.raises(ShapeError, match=r"too many indices: the tensor has 2 axes but 3 were indexed"):
        a[:, 0, 1]


def test_sequence_layer_errors_name_the_fix():
    k = new_session().keras
    with pytest.raises(ShapeError, match=r"LSTM expects 3D input .* received \(None, 10\)") as info:
        k.layers.LSTM(8)(k.Input((10,)))
    assert "Embedding" in info.value.hint
    with pytest.raises(ShapeError, match="Bidirectional wraps a recurrent layer"):
        k.layers.Bidirectional(k.layers.Dense(3))
    with pytest.raises(ShapeError, match="query and key must have the same last dimension"):
        k.layers.Attention()([k.Input((3, 4)), k.Input((5, 6)), k.Input((5, 5))])
    with pytest.raises(ShapeError, match=r"takes \(batch, sequence, features\) tensors"):
        k.layers.MultiHeadAttention(2, 4)(k.Input((10,)), k.Input((10,)))
