"""``tf.signal``: Fourier transforms, windows, framing, spectrograms, mel and cepstral
features, and the discrete cosine transforms."""

from tensorflux.ops.fft_ops import (  # noqa: F401
    fft,
    fft2d,
    fft3d,
    fftnd,
    ifft,
    ifft2d,
    ifft3d,
    ifftnd,
    irfft,
    irfft2d,
    irfft3d,
    irfftnd,
    rfft,
    rfft2d,
    rfft3d,
    rfftnd,
)
from tensorflux.ops.signal.dct_ops import dct, idct  # noqa: F401
from tensorflux.ops.signal.mel_ops import (  # noqa: F401
    linear_to_mel_weight_matrix,
    mfccs_from_log_mel_spectrograms,
)
from tensorflux.ops.signal.shape_ops import fftshift, frame, ifftshift, overlap_and_add  # noqa: F401
from tensorflux.ops.signal.spectral_ops import (  # noqa: F401
    inverse_mdct,
    inverse_stft,
    inverse_stft_window_fn,
    mdct,
    stft,
)
from tensorflux.ops.signal.window_ops import (  # noqa: F401
    hamming_window,
    hann_window,
    kaiser_bessel_derived_window,
    kaiser_window,
    vorbis_window,
)


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.signal", __name__, name)
