"""Recurrent layers: the cells, the generic RNN, SimpleRNN / LSTM / GRU (fused
whole-sequence kernels), the convolutional LSTMs, and the Bidirectional and
TimeDistributed wrappers."""

from tensorflux.keras.layers.rnn.abstract_rnn_cell import AbstractRNNCell  # noqa: F401
from tensorflux.keras.layers.rnn.base_rnn import RNN  # noqa: F401
from tensorflux.keras.layers.rnn.base_wrapper import Wrapper  # noqa: F401
from tensorflux.keras.layers.rnn.bidirectional import Bidirectional  # noqa: F401
from tensorflux.keras.layers.rnn.conv_lstm1d import ConvLSTM1D  # noqa: F401
from tensorflux.keras.layers.rnn.conv_lstm2d import ConvLSTM2D  # noqa: F401
from tensorflux.keras.layers.rnn.conv_lstm3d import ConvLSTM3D  # noqa: F401
from tensorflux.keras.layers.rnn.gru import GRU  # noqa: F401
from tensorflux.keras.layers.rnn.gru_cell import GRUCell  # noqa: F401
from tensorflux.keras.layers.rnn.lstm import LSTM  # noqa: F401
from tensorflux.keras.layers.rnn.lstm_cell import LSTMCell  # noqa: F401
from tensorflux.keras.layers.rnn.simple_rnn import SimpleRNN  # noqa: F401
from tensorflux.keras.layers.rnn.simple_rnn_cell import SimpleRNNCell  # noqa: F401
from tensorflux.keras.layers.rnn.stacked_rnn_cells import StackedRNNCells  # noqa: F401
from tensorflux.keras.layers.rnn.time_distributed import TimeDistributed  # noqa: F401
