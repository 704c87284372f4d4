"""Signal processing: the window functions (``hann_window``, ``hamming_window``, ``blackman_window``,
``bartlett_window``, ``kaiser_window``) and the short-time Fourier transform and its inverse (``stft``,
``istft``), with torch's frame counts, one-sided spectra and complex dtypes.
"""

from __future__ import annotations

from nncalc.frameworks.torch.dtypes import DTYPES, FLOAT32
from nncalc.frameworks.torch.dtypes import dtype as DType
from nncalc.frameworks.torch.indexing_ops import COMPLEX_OF, REAL_OF
from nncalc.frameworks.torch.errors import TorchTypeError, TorchValueError, shape_error
from nncalc.frameworks.torch.tensor import Tensor



def _window(name: str):
    def window(window_length, periodic=True, *args, dtype=None, layout=None, device=None, requires_grad=False,
               **kwargs) -> Tensor:
        if not isinstance(window_length, int) or isinstance(window_length, bool) or window_length < 0:
            raise TorchValueError(f"{name} requires non-negative window length, got window_length={window_length!r}")
        kind = FLOAT32 if dtype is None else dtype
        if not isinstance(kind, DType) or not kind.is_floating_point:
            raise TorchTypeError(f"{name} expects floating point dtypes, got: {kind!r}")
        return Tensor._make((window_length,), kind)

    window.__name__ = name
    window.__doc__ = f"``torch.{name}(window_length, periodic=True, *, dtype=None)``: a 1-D window."
    return window


def _frames(length: int, n_fft: int, hop: int, center: bool) -> int:
    padded = length + 2 * (n_fft // 2) if center else length
    if padded < n_fft:
        raise shape_error(f"stft: expected 0 < n_fft <= {padded}, but got n_fft={n_fft}", "reshape")
    return 1 + (padded - n_fft) // hop


def stft(input, n_fft: int, hop_length=None, win_length=None, window=None, center: bool = True,
         pad_mode: str = "reflect", normalized: bool = False, onesided=None, return_complex=None) -> Tensor:
    """``(B?, frequencies, frames)`` complex, or ``(…, 2)`` real with ``return_complex=False``."""
    if not isinstance(input, Tensor):
        raise TorchTypeError(f"stft(): argument 'input' must be Tensor, not {type(input).__name__}")
    complex_input = input._dtype.is_complex
    if return_complex is None and not complex_input:
        raise TorchValueError("stft requires the return_complex parameter be given for real inputs, and will "
                              "further require that return_complex=True in a future PyTorch release.")
    if len(input._shape) not in (1, 2):
        raise shape_error(f"stft: expected a 1D or 2D tensor, but got {len(input._shape)}D", "rank")
    hop = n_fft // 4 if hop_length is None else hop_length
    frames = _frames(input._shape[-1], n_fft, hop, center)
    one_sided = (not complex_input and not (isinstance(window, Tensor) and window._dtype.is_complex)
                 if onesided is None else onesided)
    frequencies = n_fft // 2 + 1 if one_sided else n_fft
    real = input._dtype.name if not complex_input else REAL_OF[input._dtype.name]
    real = real if real in COMPLEX_OF else "float32"
    shape = input._shape[:-1] + (frequencies, frames)
    if return_complex is False:
        return input._like(shape + (2,), dtype_=DTYPES[real], factors=None)
    return input._like(shape, dtype_=DTYPES[COMPLEX_OF[real]], factors=None)


def istft(input, n_fft: int, hop_length=None, win_length=None, window=None, center: bool = True,
          normalized: bool = False, onesided=None, length=None, return_complex: bool = False) -> Tensor:
    """The signal of a ``(B?, frequencies, frames)`` complex spectrum: ``length`` samples, or as many as the
    frames cover (less the centre padding)."""
    if not isinstance(input, Tensor) or not input._dtype.is_complex:
        raise TorchTypeError("istft requires a complex-valued input tensor")
    if len(input._shape) not in (2, 3):
        raise shape_error(f"istft: expected a tensor with 2 or 3 dimensions of complex, but got "
                          f"{len(input._shape)}", "rank")
    one_sided = not return_complex if onesided is None else onesided
    expected = n_fft // 2 + 1 if one_sided else n_fft
    if input._shape[-2] != expected:
        raise shape_error(f"istft: expected the frequency dimension (3rd to the last) of the input tensor to match "
                          f"n_fft / 2 + 1 when onesided=True, but got {input._shape[-2]}", "features")
    hop = n_fft // 4 if hop_length is None else hop_length
    frames = input._shape[-1]
    samples = length if length is not None else n_fft + hop * (frames - 1) - (2 * (n_fft // 2) if center else 0)
    kind = input._dtype if return_complex else DTYPES[REAL_OF[input._dtype.name]]
    return input._like(input._shape[:-2] + (samples,), dtype_=kind, factors=None)


def _stft_method(self: Tensor, n_fft: int, *args, **kwargs) -> Tensor:
    return stft(self, n_fft, *args, **kwargs)


def _istft_method(self: Tensor, n_fft: int, *args, **kwargs) -> Tensor:
    return istft(self, n_fft, *args, **kwargs)


FUNCTIONS = {
    **{name: _window(name) for name in ("hann_window", "hamming_window", "blackman_window", "bartlett_window",
                                        "kaiser_window")},
    "stft": stft, "istft": istft,
}  # fmt: skip
"""``torch`` functions."""


def install() -> dict:
    Tensor.stft, Tensor.istft = _stft_method, _istft_method
    return FUNCTIONS

