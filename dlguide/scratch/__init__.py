"""Deep learning from scratch in NumPy: the equations of the guide, runnable.

Nothing here imports Keras or TensorFlow. The tests check every piece against
Keras on the same inputs and weights: activations and losses against
`keras.activations` / `keras.losses`, the MLP's backprop against TensorFlow's
autodiff, each optimizer's trajectory against `keras.optimizers`, attention
against `keras.ops.dot_product_attention` and
`keras.layers.MultiHeadAttention`.

Examples:
    >>> import numpy as np
    >>> from dlguide import scratch
    >>> X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([1.0, 0.0])
    >>> net = scratch.MLP(num_inputs=2, num_hiddens=3, num_outputs=1)
    >>> grads = net.backward(X, y)
    >>> sorted(grads), grads["W1"].shape
    (['W1', 'W2', 'b1', 'b2'], (2, 3))
"""

from ._activations import (
    ACTIVATIONS,
    elu,
    elu_grad,
    gelu,
    gelu_grad,
    leaky_relu,
    leaky_relu_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    softmax_grad,
    tanh,
    tanh_grad,
)
from ._attention import (
    MultiHeadAttention,
    causal_mask,
    layer_norm,
    masked_softmax,
    padding_mask,
    positional_encoding,
    rotary_embedding,
    scaled_dot_product_attention,
    tiled_attention,
)
from ._conv import avg_pool2d, conv2d, conv_output_shape, corr2d, max_pool2d
from ._diffusion import (
    ddim_step,
    ddpm_step,
    forward_diffusion,
    noise_schedule,
    predict_x0,
    q_sample,
)
from ._gradcheck import numerical_gradient, relative_error
from ._losses import (
    binary_crossentropy,
    binary_crossentropy_grad,
    categorical_crossentropy,
    categorical_crossentropy_grad,
    logsumexp,
    mse,
    mse_grad,
    sparse_categorical_crossentropy,
    sparse_categorical_crossentropy_grad,
)
from ._mlp import MLP, glorot_uniform
from ._optimizers import SGD, Adagrad, Adam, AdamW, RMSprop
from ._perceptron import Perceptron
from ._rnn import GRUCell, LSTMCell, SimpleRNNCell

__all__ = [
    # activations and their derivatives
    "ACTIVATIONS",
    "elu",
    "elu_grad",
    "gelu",
    "gelu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "relu",
    "relu_grad",
    "sigmoid",
    "sigmoid_grad",
    "softmax",
    "softmax_grad",
    "tanh",
    "tanh_grad",
    # losses and their gradients
    "binary_crossentropy",
    "binary_crossentropy_grad",
    "categorical_crossentropy",
    "categorical_crossentropy_grad",
    "logsumexp",
    "mse",
    "mse_grad",
    "sparse_categorical_crossentropy",
    "sparse_categorical_crossentropy_grad",
    # networks
    "MLP",
    "Perceptron",
    "glorot_uniform",
    # convolution and pooling
    "avg_pool2d",
    "conv2d",
    "conv_output_shape",
    "corr2d",
    "max_pool2d",
    # recurrent cells
    "GRUCell",
    "LSTMCell",
    "SimpleRNNCell",
    # attention and transformers
    "MultiHeadAttention",
    "causal_mask",
    "layer_norm",
    "masked_softmax",
    "padding_mask",
    "positional_encoding",
    "rotary_embedding",
    "scaled_dot_product_attention",
    # diffusion
    "ddim_step",
    "ddpm_step",
    "forward_diffusion",
    "noise_schedule",
    "predict_x0",
    "q_sample",
    "tiled_attention",
    # optimizers
    "SGD",
    "Adagrad",
    "Adam",
    "AdamW",
    "RMSprop",
    # gradient check
    "numerical_gradient",
    "relative_error",
]
