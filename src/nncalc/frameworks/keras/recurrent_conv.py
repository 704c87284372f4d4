"""Keras convolutional LSTMs: ``ConvLSTM1D``, ``ConvLSTM2D``, ``ConvLSTM3D``.

The input is a sequence of images ``(batch, time, spatial…, channels)`` (``channels_first``: ``(batch, time,
channels, spatial…)``); each gate is a convolution of the input (``strides``, ``padding``, ``dilation_rate`` as
given) plus a ``'same'`` convolution of the hidden state, so the output has the input convolution's spatial
sizes and ``filters`` channels, per step with ``return_sequences``. Weights, output and MACs are the rule
:data:`nncalc.layers.recurrent.CONV_LSTM`'s.
"""

from __future__ import annotations

from nncalc.errors import ShapeError
from nncalc.frameworks.keras.builtin import SpatialLayer, _Context, positive_int, ranked, resolve_data_format
from nncalc.frameworks.keras.conv import _conv_padding
from nncalc.frameworks.keras.errors import KerasValueError, shape_text
from nncalc.frameworks.keras.layer import flat_tensors
from nncalc.frameworks.keras.tensor import KerasTensor
from nncalc.layers.base import as_tuple
from nncalc.layers.conv import ConvSpec
from nncalc.layers.recurrent import CONV_LSTM, ConvLSTMSpec


class _ConvLSTM(SpatialLayer):
    """A convolutional LSTM over ``rank`` spatial axes."""

    _rule = CONV_LSTM

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation="tanh", recurrent_activation="sigmoid", use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", unit_forget_bias=True,
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        rank = self._rank
        self.filters = positive_int(filters, "filters")
        try:
            self.kernel_size = as_tuple(kernel_size, rank, "kernel_size")
            self.strides = as_tuple(strides, rank, "strides")
            self.dilation_rate = as_tuple(dilation_rate, rank, "dilation_rate")
        except ShapeError as error:
            raise KerasValueError(error.message, hint=error.hint) from None
        self.padding = _conv_padding(padding, 2)
        self.data_format = resolve_data_format(data_format, self._state)
        self.activation, self.recurrent_activation = activation, recurrent_activation
        self.use_bias = bool(use_bias)
        self.dropout, self.recurrent_dropout = dropout, recurrent_dropout
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful = bool(go_backwards), bool(stateful)

    def _layout(self) -> str:
        return "(batch, time, " + super()._layout()[len("(batch, "):]

    def _rank_hint(self, shape):
        return (f"{type(self).__name__} reads a sequence of images: give keras.Input(shape=(time, "
                f"{', '.join(['…'] * self._rank)}, channels))")

    def _canonical(self, shape: tuple) -> tuple:
        """``(batch, time, spatial…, channels)`` whatever the data format."""
        if self.data_format == "channels_last":
            return tuple(shape)
        return (shape[0], shape[1], *shape[3:], shape[2])

    def _native(self, shape: tuple) -> tuple:
        """A rule's output, with or without its time axis, in this layer's data format."""
        if self.data_format == "channels_last":
            return tuple(shape)
        lead = len(shape) - self._rank - 1  # batch, and time with return_sequences
        return (*shape[:lead], shape[-1], *shape[lead:-1])

    def _spec(self, shape: tuple) -> ConvLSTMSpec:
        channels = self._canonical(shape)[-1]
        if channels is None:
            raise KerasValueError(f"the channel dimension of the inputs should be defined; received "
                                  f"{shape_text(shape)}", hint="give keras.Input a fixed number of channels")
        conv = ConvSpec(self._rank, channels, self.filters, self.kernel_size, self.strides, self.padding,
                        self.dilation_rate, 1, self.use_bias)
        return ConvLSTMSpec(conv, self.return_sequences)

    def _pinned(self, spec: ConvLSTMSpec) -> dict:
        return {-1 if self.data_format == "channels_last" else 2: spec.conv.in_channels}

    def _outputs(self, shape: tuple):
        """(output shapes: the output, then h and c with ``return_state``; shape formulas; MACs)."""
        output, formulas, macs = self._forward(shape)
        if not self.return_state:
            return [output], formulas, macs
        state = self._native(CONV_LSTM.output(self._spec(shape).last_step(), self._canonical(shape)))
        return [output, state, state], formulas, macs

    def call(self, inputs, *args, **kwargs):
        tensor = flat_tensors(inputs)[0]
        with _Context(self):
            shapes, formulas, macs = self._outputs(tensor.shape)
        self._record_cost(macs, formulas)
        outputs = [KerasTensor(s, self.compute_dtype) for s in shapes]
        return outputs if self.return_state else outputs[0]

    def compute_output_shape(self, input_shape):
        with _Context(self):
            shapes = self._outputs(tuple(input_shape))[0]
        return shapes if self.return_state else shapes[0]


ConvLSTM1D = ranked(_ConvLSTM, 1, "ConvLSTM1D", ndim=4,
                    doc="``keras.layers.ConvLSTM1D(filters, kernel_size)`` over ``(batch, time, steps, channels)``.")
ConvLSTM2D = ranked(_ConvLSTM, 2, "ConvLSTM2D", ndim=5,
                    doc="``keras.layers.ConvLSTM2D(filters, kernel_size)`` over ``(batch, time, H, W, channels)``.")
ConvLSTM3D = ranked(_ConvLSTM, 3, "ConvLSTM3D", ndim=6,
                    doc="``keras.layers.ConvLSTM3D(filters, kernel_size)`` over ``(batch, time, D, H, W, channels)``.")


CLASSES = [ConvLSTM1D, ConvLSTM2D, ConvLSTM3D]
