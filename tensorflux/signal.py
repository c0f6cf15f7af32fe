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


def __getattr__(name):
    from tensorflux.framework.tf_names import missing_attribute

    raise missing_attribute("tf.signal", __name__, name)
