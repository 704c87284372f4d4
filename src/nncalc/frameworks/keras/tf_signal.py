"""``tf.signal``'s ops: Fourier transforms over the last axes (``rfft``: ``n // 2 + 1`` complex bins), framing
(``frame``, ``overlap_and_add``), spectrograms (``stft``, ``inverse_stft``, ``mdct``), cosine transforms and
windows, with TensorFlow's defaults (``stft``'s ``fft_length``: the smallest power of 2 ≥ ``frame_length``)."""

from __future__ import annotations

from nncalc.frameworks.keras.errors import KerasValueError
from nncalc.frameworks.keras.tf_arrays import fftn
from nncalc.frameworks.keras.tf_base import COMPLEX_REAL, dtype_name, dtype_of, one_axis, shape_of, static_ints, tensor


def _complex(dtype: str) -> str:
    return "complex128" if dtype in ("float64", "complex128") else "complex64"


def _real(dtype: str) -> str:
    return COMPLEX_REAL.get(dtype, dtype)


def complex_fft(op: str, axes: int):
    def rule(input, name=None):
        shape = shape_of(input, op)
        if len(shape) < axes:
            raise KerasValueError(f"tf.signal.{op}: the input must have rank ≥ {axes}")
        return tensor(shape, dtype_of([input]))

    return rule


def real_fft(op: str, axes: int, inverse: bool):
    """``rfft``/``irfft`` over the last ``axes`` axes: the last one ``n // 2 + 1`` bins (or back to
    ``fft_length``)."""

    def rule(input_tensor, fft_length=None, name=None):
        shape = list(shape_of(input_tensor, op))
        lengths = static_ints(fft_length, f"signal.{op}", "fft_length") if fft_length is not None else None
        for i, a in enumerate(range(len(shape) - axes, len(shape))):
            last = a == len(shape) - 1
            if inverse:
                shape[a] = lengths[i] if lengths else (
                    None if shape[a] is None else 2 * (shape[a] - 1) if last else shape[a])
            else:
                n = lengths[i] if lengths else shape[a]
                shape[a] = None if n is None else (n // 2 + 1 if last else n)
        dtype = dtype_of([input_tensor])
        return tensor(shape, _real(dtype) if inverse else _complex(dtype))

    return rule


def shifted(op: str):
    def rule(x, axes=None, name=None):
        return tensor(shape_of(x, op), dtype_of([x]))

    return rule


def cosine(op: str):
    def rule(input, type=2, n=None, axis=-1, norm=None, name=None):
        shape = list(shape_of(input, op))
        if n is not None:
            shape[-1] = n
        return tensor(shape, dtype_of([input]))

    return rule


def _frames(size, frame_length: int, frame_step: int, pad_end: bool):
    if size is None:
        return None
    if pad_end:
        return -(-size // frame_step)
    return max(0, 1 + (size - frame_length) // frame_step)


def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    shape = shape_of(signal, "frame")
    position = one_axis(axis, len(shape), "signal.frame")
    count = _frames(shape[position], frame_length, frame_step, pad_end)
    return tensor((*shape[:position], count, frame_length, *shape[position + 1:]), dtype_of([signal]))


def overlap_and_add(signal, frame_step, name=None):
    shape = shape_of(signal, "overlap_and_add")
    frames, length = shape[-2:]
    size = None if None in (frames, length) else (frames - 1) * frame_step + length
    return tensor((*shape[:-2], size), dtype_of([signal]))


def _fft_length(frame_length: int) -> int:
    return 1 << (frame_length - 1).bit_length()


def stft(signals, frame_length, frame_step, fft_length=None, window_fn=None, pad_end=False, name=None):
    shape = shape_of(signals, "stft")
    count = _frames(shape[-1], frame_length, frame_step, pad_end)
    bins = (fft_length or _fft_length(frame_length)) // 2 + 1
    return tensor((*shape[:-1], count, bins), _complex(dtype_of([signals])))


def inverse_stft(stfts, frame_length, frame_step, fft_length=None, window_fn=None, name=None):
    shape = shape_of(stfts, "inverse_stft")
    frames = shape[-2]
    size = None if frames is None else (frames - 1) * frame_step + frame_length
    return tensor((*shape[:-2], size), _real(dtype_of([stfts])))


def mdct(signals, frame_length, window_fn=None, pad_end=False, norm=None, name=None):
    shape = shape_of(signals, "mdct")
    count = _frames(shape[-1], frame_length, frame_length // 2, pad_end)
    return tensor((*shape[:-1], count, frame_length // 2), dtype_of([signals]))


def inverse_mdct(mdcts, window_fn=None, norm=None, name=None):
    shape = shape_of(mdcts, "inverse_mdct")
    frames, half = shape[-2:]
    size = None if None in (frames, half) else (frames + 1) * half
    return tensor((*shape[:-2], size), dtype_of([mdcts]))


def window(op: str):
    def rule(window_length, *args, dtype="float32", name=None, **kwargs):
        return tensor((window_length,), dtype_name(dtype))

    return rule


def linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sample_rate=8000,
                                lower_edge_hertz=125.0, upper_edge_hertz=3800.0, dtype="float32", name=None):
    return tensor((num_spectrogram_bins, num_mel_bins), dtype_name(dtype))


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None):
    spectrograms = log_mel_spectrograms
    return tensor(shape_of(spectrograms, "mfccs_from_log_mel_spectrograms"), dtype_of([spectrograms]))


def rules() -> dict:
    """Every op of ``tf.signal`` by its name."""
    table = {}
    for axes, suffix in ((1, ""), (2, "2d"), (3, "3d")):
        table.update({f"{kind}{suffix}": complex_fft(f"{kind}{suffix}", axes) for kind in ("fft", "ifft")})
        table[f"rfft{suffix}"] = real_fft(f"rfft{suffix}", axes, inverse=False)
        table[f"irfft{suffix}"] = real_fft(f"irfft{suffix}", axes, inverse=True)
    table.update({name: fftn(name) for name in ("fftnd", "ifftnd", "rfftnd", "irfftnd")})
    table.update({name: shifted(name) for name in ("fftshift", "ifftshift")})
    table.update({name: cosine(name) for name in ("dct", "idct")})
    table.update({name: window(name) for name in ("hamming_window", "hann_window", "kaiser_window",
                                                  "kaiser_bessel_derived_window", "vorbis_window")})
    table.update(frame=frame, overlap_and_add=overlap_and_add, stft=stft, inverse_stft=inverse_stft, mdct=mdct,
                 inverse_mdct=inverse_mdct, linear_to_mel_weight_matrix=linear_to_mel_weight_matrix,
                 mfccs_from_log_mel_spectrograms=mfccs_from_log_mel_spectrograms)
    return table
