"""Exercises with an offline auto-check, one or more per page of the foundations, deployment,
transformer and generative tracks.

Read an exercise with `describe(name)`, write your function, and pass it to
`check(name, func)`: it runs your function on fixed inputs, edge cases
included, compares with the reference answer and prints `PASS: ...` or
`FAIL: ...` with a hint. `solution(name)` shows the reference answer.
Everything runs in NumPy; nothing here imports Keras.

Examples:
    >>> import numpy as np
    >>> from dlguide import exercises
    >>> exercises.list_exercises()
    ['dense_forward', 'perceptron_update', 'sigmoid_grad', 'backward_pass', 'relu_grad', 'bce_from_logits', 'momentum_step', 'inverted_dropout', 'quantize_int8', 'latency_percentile', 'data_parallel_grad', 'attention_pooling', 'causal_attention', 'position_encoding', 'layer_norm', 'mlm_inputs', 'per_example_mse', 'gaussian_kl', 'gan_losses', 'noisy_sample', 'guided_noise', 'frechet_1d', 'lora_forward', 'patchify', 'balance_loss', 'merge_softmax']
    >>> def sigmoid_grad(x):
    ...     s = 1 / (1 + np.exp(-x))
    ...     return s * (1 - s)
    >>> exercises.check("sigmoid_grad", sigmoid_grad)
    PASS: Derivative of the sigmoid
    True
"""

from ._check import check, describe, list_exercises, solution

__all__ = ["check", "describe", "list_exercises", "solution"]
