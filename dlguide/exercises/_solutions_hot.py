"""The exercises of the hot-topics track: cases and reference answers.

Registered like those of `_solutions.py`, after the generative track's, in the order of the
pages.
"""

from __future__ import annotations

import numpy as np

from ._compare import ALLCLOSE
from ._registry import _Case, _exercise

# --- LoRA -----------------------------------------------------------------------


def _lora_forward_cases() -> list[_Case]:
    rng = np.random.default_rng(21)
    return [
        _Case(
            (np.array([[1.0, 2.0]]), np.eye(2), np.zeros(2), np.ones((2, 1)), np.ones((1, 2)), 2)
        ),
        _Case(
            (
                rng.normal(size=(4, 6)),
                rng.normal(size=(6, 3)),
                rng.normal(size=3),
                rng.normal(size=(6, 2)),
                rng.normal(size=(2, 3)),
                4,
            )
        ),
        _Case(
            (
                rng.normal(size=(2, 5)),
                rng.normal(size=(5, 4)),
                rng.normal(size=4),
                rng.normal(size=(5, 4)),
                rng.normal(size=(4, 4)),
                1,
            )
        ),
    ]


@_exercise(
    title="A LoRA forward pass",
    page="LoRA",
    task=f"""
    Compute the output of a Dense layer (no activation) fine-tuned with a LoRA
    adapter: the frozen kernel W plus the low-rank update A @ B scaled by
    alpha / r, where the rank r is the number of columns of A.

    - X: inputs, shape `(batch_size, num_inputs)`.
    - W: frozen kernel, shape `(num_inputs, num_outputs)`; b: bias.
    - A: shape `(num_inputs, r)`; B: shape `(r, num_outputs)`.
    - alpha: the scale numerator (Keras's `lora_alpha`).

    Return an array of shape `(batch_size, num_outputs)`. The check compares
    your output with the reference on 3 fixed inputs with {ALLCLOSE}.
    """,
    hint="""The layer computes X @ (W + (alpha / r) * A @ B) + b with r = A.shape[1];
    without the alpha / r scale the update is too large or too small whenever
    alpha differs from the rank.""",
    cases=_lora_forward_cases,
)
def lora_forward(X, W, b, A, B, alpha):
    rank = A.shape[1]
    return X @ (W + alpha / rank * A @ B) + b


# --- Vision transformer ---------------------------------------------------------


def _patchify_cases() -> list[_Case]:
    rng = np.random.default_rng(22)
    return [
        _Case((np.arange(16.0).reshape(4, 4), 2)),
        _Case((rng.normal(size=(28, 28)), 7)),
        _Case((rng.normal(size=(6, 9)), 3)),
        _Case((rng.normal(size=(5, 5)), 5)),
    ]


@_exercise(
    title="Cut an image into patches",
    page="Vision transformer",
    task=f"""
    Cut an image into non-overlapping square patches, as a vision transformer
    does before embedding them: image has shape `(height, width)`, both
    multiples of patch_size. Return an array of shape
    `(num_patches, patch_size * patch_size)`: one row per patch, in reading
    order (the patches of the top row from left to right, then the next row),
    each patch flattened row by row. The check compares your output with the
    reference on 4 fixed inputs with {ALLCLOSE}.
    """,
    hint="""image.reshape(-1, patch_size ** 2) takes runs of consecutive pixels, which
    cross patch borders. Reshape to (rows, patch_size, cols, patch_size), swap
    the two middle axes with transpose(0, 2, 1, 3), then flatten each patch.""",
    cases=_patchify_cases,
)
def patchify(image, patch_size):
    rows = image.shape[0] // patch_size
    cols = image.shape[1] // patch_size
    blocks = image.reshape(rows, patch_size, cols, patch_size).transpose(0, 2, 1, 3)
    return blocks.reshape(rows * cols, patch_size * patch_size)


# --- Mixture of experts -----------------------------------------------------------


def _balance_loss_cases() -> list[_Case]:
    rng = np.random.default_rng(23)
    logits = rng.normal(size=(20, 4))
    soft = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return [
        _Case((np.array([[0.7, 0.3], [0.2, 0.8]]),)),
        _Case((np.array([[0.9, 0.05, 0.05]] * 4),)),
        _Case((soft,)),
    ]


@_exercise(
    title="The load-balancing loss",
    page="Mixture of experts",
    task=f"""
    Compute the Switch Transformer's load-balancing loss from router
    probabilities P of shape `(tokens, experts)` (each row sums to 1):
    `experts * sum_i f_i * P_i`, where f_i is the fraction of tokens whose
    largest probability is expert i and P_i the mean probability of expert i
    over the tokens. Return a float: 1 for tokens spread evenly, up to the
    number of experts when one expert takes every token. The check compares
    your output with the reference on 3 fixed inputs with {ALLCLOSE}.
    """,
    hint="""f is a share of hard choices: one-hot the argmax of each row
    (np.eye(experts)[P.argmax(axis=1)]) and average over the tokens; P_i is
    P.mean(axis=0). Multiply them elementwise, sum, and scale by the number of
    experts.""",
    cases=_balance_loss_cases,
)
def balance_loss(P):
    experts = P.shape[1]
    first = np.eye(experts)[P.argmax(axis=1)]
    return experts * np.sum(first.mean(axis=0) * P.mean(axis=0))


# --- Efficient attention ----------------------------------------------------------


def _merge_softmax_cases() -> list[_Case]:
    rng = np.random.default_rng(24)
    m1, m2 = rng.normal(size=5) * 3, rng.normal(size=5) * 3
    return [
        _Case((np.array(1.0), np.array(2.0), np.array(3.0), np.array(1.5))),
        _Case((m1, rng.random(5) + 1, m2, rng.random(5) + 1)),
        _Case((np.array([100.0]), np.array([1.0]), np.array([-100.0]), np.array([4.0]))),
    ]


@_exercise(
    title="Merge two softmax states",
    page="Efficient attention",
    task=f"""
    The online softmax reads a row of scores in parts. For each part it keeps
    m, the largest score, and l, the sum of exp(score - m) over the part.
    Given the states (m1, l1) and (m2, l2) of two parts (arrays of the same
    shape, one entry per row), return `(m, l)`: the state of both parts read
    together, so that l = sum of exp(score - m) over all their scores. The
    check compares both outputs with the reference on 3 fixed inputs with
    {ALLCLOSE}.
    """,
    hint="""The new maximum is m = np.maximum(m1, m2). Each old sum was taken
    relative to its own maximum: rescale it by exp(m1 - m) or exp(m2 - m)
    before adding, l = l1 * exp(m1 - m) + l2 * exp(m2 - m).""",
    cases=_merge_softmax_cases,
    outputs=("m", "l"),
)
def merge_softmax(m1, l1, m2, l2):
    m = np.maximum(m1, m2)
    return m, l1 * np.exp(m1 - m) + l2 * np.exp(m2 - m)
