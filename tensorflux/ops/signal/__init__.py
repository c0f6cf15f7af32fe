"""The ``tf.signal`` functions beyond the FFT ops (those are ``ops/fft_ops.py``): windows,
framing and overlap-add, spectrograms, mel and cepstral features, DCTs and MDCTs.

They compose differentiable ops (gather, segment sums, matmul, the FFT ops), so their
gradients come from those ops.
"""
