"""Sampling the next character with a temperature, and generating text from a model."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import (
    check_bool,
    check_non_empty_str,
    check_non_negative_float,
    check_positive_int,
    check_seed,
)
from ._vocabulary import CharVocabulary


def _probability_rows(value: Any, name: str) -> np.ndarray:
    """Return a float64 array (..., V) of non-negative rows with positive sums."""
    expected = "Expected an array of non-negative probabilities with the classes on the last axis."
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{expected} Received: {name}={value!r}") from None
    if array.ndim == 0 or array.shape[-1] == 0:
        raise ValueError(f"{expected} Received: {name}.shape={array.shape}")
    if not np.all(np.isfinite(array)) or np.any(array < 0) or np.any(array.sum(-1) <= 0):
        raise ValueError(f"{expected} Received: {name} with negative, NaN or all-zero rows")
    return array


def sample(probabilities: Any, temperature: float = 1.0, *, seed: Any = None) -> Any:
    """Draw a class (e.g. the next character) from a distribution reshaped by a temperature.

    The probabilities are raised to the power `1 / temperature` and
    renormalised, i.e. the logits are divided by the temperature:
    `temperature = 1` samples from the model's own distribution, a lower
    temperature sharpens it (safer, more repetitive text), a higher one
    flattens it (more surprising text, more mistakes). `temperature = 0` is
    the limit: always the most probable class (greedy, argmax).

    Args:
        probabilities: One distribution of shape `(num_classes,)` or a batch
            `(batch, num_classes)`; rows need not sum exactly to 1.
        temperature: A non-negative float.
        seed: An int for a reproducible draw, `None` for a fresh one, or a
            `numpy.random.Generator` (advanced by the draw) to draw again and
            again from one stream.

    Returns:
        An `int` for one distribution, an int64 array of shape `(batch,)`
        for a batch.

    Raises:
        ValueError: If the probabilities, the temperature or `seed` is invalid.

    Examples:
        >>> import numpy as np
        >>> from dlguide.text import sample
        >>> p = np.array([0.1, 0.6, 0.3])
        >>> sample(p, 0.0, seed=0)  # greedy
        1
        >>> rng = np.random.default_rng(0)
        >>> draws = sample(np.tile(p, (10_000, 1)), 1.0, seed=rng)
        >>> np.bincount(draws) / 10_000  # close to p
        array([0.1..., 0.6..., 0.3...])
        >>> sample(p, -1.0, seed=0)
        Traceback (most recent call last):
        ...
        ValueError: Expected a non-negative float. Received: temperature=-1.0
    """
    array = _probability_rows(probabilities, "probabilities")
    if array.ndim > 2:
        raise ValueError(
            "Expected probabilities of shape (num_classes,) or (batch, num_classes). "
            f"Received: probabilities.shape={array.shape}"
        )
    temperature = check_non_negative_float(temperature, "temperature")
    rng = check_seed(seed, generator=True)
    rows = array.reshape(-1, array.shape[-1])
    if temperature == 0:
        choice = rows.argmax(axis=-1)
    else:
        with np.errstate(divide="ignore"):
            logits = np.log(rows) / temperature
        logits -= logits.max(axis=-1, keepdims=True)
        weights = np.exp(logits)
        cumulative = np.cumsum(weights, axis=-1)
        u = rng.random(len(rows)) * cumulative[:, -1]
        choice = (cumulative <= u[:, None]).sum(axis=-1)
        choice = np.minimum(choice, rows.shape[-1] - 1)
    return int(choice[0]) if array.ndim == 1 else choice.astype(np.int64)


# Layers that act on each time step on its own: with these and recurrent layers (whose state
# is passed along explicitly), a model can be run one character at a time.
_PER_STEP = {"Embedding", "Dense", "Dropout", "Activation", "LayerNormalization"}
_RECURRENT = {"LSTM", "GRU", "SimpleRNN"}


def _step_model(model: Any) -> Any:
    """Build `(step_model, initial_states)` for a chain of per-step and recurrent layers, or None.

    `step_model([ids, *states])` returns `[distributions, *new_states]`: it reads only the new
    ids and takes the recurrent states explicitly, so generating n characters costs n short
    calls instead of n calls over the whole growing text. It shares the weights of `model`.
    Models of another shape (branches, other layers, nested models) give None.
    """
    import keras

    layers = getattr(model, "layers", None)
    if not layers or type(layers[0]).__name__ != "InputLayer":
        return None
    try:
        chain = (
            all(
                layer.input is previous.output
                for previous, layer in zip(layers, layers[1:], strict=False)
            )
            and model.outputs[0] is layers[-1].output
        )
    except (AttributeError, ValueError, IndexError):  # pragma: no cover - unbuilt models
        return None
    classes = {type(layer).__name__ for layer in layers[1:]}
    if not chain or not classes & _RECURRENT or not classes <= _PER_STEP | _RECURRENT:
        return None

    ids = keras.Input(batch_shape=(1, None), dtype=model.inputs[0].dtype)
    state_inputs, state_outputs, initial_states = [], [], []
    x = ids
    for layer in layers[1:]:
        if type(layer).__name__ not in _RECURRENT:
            x = layer(x)  # the same layer object: shared weights
            continue
        config = {**layer.get_config(), "return_sequences": True, "return_state": True}
        config["stateful"] = False
        clone = type(layer).from_config(config)
        sizes = layer.cell.state_size
        sizes = list(sizes) if isinstance(sizes, (list, tuple)) else [sizes]
        states = [keras.Input(batch_shape=(1, size)) for size in sizes]
        x, *new_states = clone(x, initial_state=states if len(states) > 1 else states[0])
        clone.set_weights(layer.get_weights())
        state_inputs += states
        state_outputs += new_states
        initial_states += [np.zeros((1, size), dtype=np.float32) for size in sizes]
    step_model = keras.Model([ids, *state_inputs], [x, *state_outputs])
    return step_model, initial_states


def generate(
    model: Any,
    vocabulary: CharVocabulary,
    prompt: str,
    num_chars: int,
    *,
    temperature: float = 1.0,
    seed: Any = 0,
    from_logits: bool = False,
) -> str:
    """Generate text from a character-level language model, one character at a time.

    At each step the model's distribution for the next character, given all
    the text so far, is passed to `sample` with the temperature, and the drawn
    character is appended. For a model that is a chain of embedding,
    recurrent and dense layers (such as `dlguide.models.char_language_model`)
    each step reads only the new character and carries the recurrent states
    forward, so every step costs the same; other models are re-run on the
    whole text at every step.

    Args:
        model: A Keras model mapping ids `(1, steps)` to next-character
            distributions `(1, steps, len(vocabulary))`, e.g. from
            `dlguide.models.char_language_model` (with the default
            `sequence_length=None`).
        vocabulary: The `CharVocabulary` the model was trained with.
        prompt: Non-empty text to start from; every character must be in the
            vocabulary.
        num_chars: How many characters to generate.
        temperature: Sampling temperature (0 = greedy).
        seed: An int for reproducible text (the default, 0), `None` for
            fresh randomness, or a `numpy.random.Generator`.
        from_logits: Set to `True` if the model outputs logits, not
            probabilities.

    Returns:
        The prompt followed by the `num_chars` generated characters.

    Raises:
        ValueError: If an argument is invalid, or the model does not give one
            output per character of the vocabulary.

    Examples:
        >>> from dlguide.models import char_language_model
        >>> from dlguide.text import CharVocabulary, generate
        >>> vocabulary = CharVocabulary("abc ")
        >>> model = char_language_model(len(vocabulary), units=8)  # untrained
        >>> text = generate(model, vocabulary, "ab", 10, temperature=1.0, seed=0)
        >>> len(text), text[:2], set(text) <= set("abc ")
        (12, 'ab', True)
    """
    import keras  # here, so that the NumPy helpers of dlguide.text stay free of Keras

    if not isinstance(vocabulary, CharVocabulary):
        raise ValueError(
            f"Expected a dlguide.text.CharVocabulary. Received: vocabulary={vocabulary!r}"
        )
    prompt = check_non_empty_str(prompt, "prompt")
    ids = list(vocabulary.encode(prompt))
    num_chars = check_positive_int(num_chars, "num_chars")
    temperature = check_non_negative_float(temperature, "temperature")
    rng = check_seed(seed, generator=True)
    from_logits = check_bool(from_logits, "from_logits")

    stepper = _step_model(model)
    states: list[Any] = [] if stepper is None else stepper[1]
    new_ids = ids
    for _ in range(num_chars):
        if stepper is None:  # re-read the whole text
            outputs = model(np.array([ids], dtype=np.int32), training=False)
        else:  # read the new characters only, carrying the recurrent states
            outputs, *states = stepper[0].predict_on_batch(
                [np.array([new_ids], dtype=np.int32), *states]
            )
        last = np.asarray(keras.ops.convert_to_numpy(outputs), dtype=np.float64)[0, -1]
        if last.shape != (len(vocabulary),):
            raise ValueError(
                f"Expected a model with {len(vocabulary)} outputs per step, one per character "
                f"of the vocabulary. Received: a model with output shape {tuple(outputs.shape)}"
            )
        if from_logits:
            last = np.exp(last - last.max())
        ids.append(sample(last, temperature, seed=rng))
        new_ids = ids[-1:]
    return vocabulary.decode(ids)
