"""Transfer learning: reuse a trained backbone with a new head, then fine-tune its top."""

from __future__ import annotations

from collections.abc import Sequence

import keras

from .._validation import (
    check_bool,
    check_head,
    check_int_sequence,
    check_model,
    check_non_empty_str,
    check_non_negative_int,
    check_rate,
)

_BACKBONE_EXAMPLE = "a trained model, or keras.applications.MobileNetV2(weights=None, ...)"


def _feature_tensor(backbone: keras.Model, feature_layer: str | None) -> keras.KerasTensor:
    if feature_layer is None:
        last = backbone.layers[-1]
        if isinstance(last, keras.layers.Dense) and len(backbone.layers) > 2:
            return last.input  # drop the old classification layer
        return backbone.output
    names = [layer.name for layer in backbone.layers]
    if feature_layer not in names:
        shown = ", ".join(map(repr, names[-6:]))
        raise ValueError(
            f"Expected the name of a layer of the backbone (its last layers: {shown}). "
            f"Received: feature_layer={feature_layer!r}"
        )
    return backbone.get_layer(feature_layer).output


def _freeze_batch_norm(model: keras.Model) -> None:
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False
        elif isinstance(layer, keras.Model):
            _freeze_batch_norm(layer)


def transfer(
    backbone: keras.Model,
    *,
    feature_layer: str | None = None,
    trainable: bool = False,
    dense_units: int | Sequence[int] = (),
    dropout: float = 0.0,
    classes: int,
    classifier_activation: str | None = "softmax",
    name: str = "transfer",
) -> keras.Model:
    """Put a new classification head on a trained backbone, frozen by default.

    The backbone is cut at `feature_layer` and wrapped in a sub-model named
    `"backbone"`. Its `BatchNormalization` layers stay frozen even with
    `trainable=True` (a frozen batch-norm layer runs in inference mode in
    Keras 3, so it keeps the statistics learned on the first task). Feature
    maps (4-D) are reduced by `GlobalAveragePooling2D` (`global_pool`); then
    come optional `dense_i` layers (with `dropout_i` before each, and before
    the output, when `dropout > 0`) and the new `output` layer.

    The backbone's layers are shared, not copied: freezing or training them
    here changes `backbone` too. To compare several set-ups from the same
    starting point, load a fresh copy for each (`keras.models.load_model`).

    Args:
        backbone: A built `keras.Model` with one input: a model trained on
            another task, or e.g. `keras.applications.MobileNetV2(
            include_top=False, weights=None, ...)`.
        feature_layer: Name of the backbone layer whose output are the
            features. `None`: if the backbone ends with a `Dense` layer (its
            old classifier), the input of that layer, else the backbone's
            output.
        trainable: Train the backbone together with the head (`False`
            freezes it: only the head learns).
        dense_units: Units of hidden dense layers in the new head.
        dropout: Dropout rate in [0, 1) in the head.
        classes: Number of output units of the new task: the number of
            classes, or 1 for binary classification.
        classifier_activation: Activation of the new output layer:
            `"softmax"` (the default), `"sigmoid"` (binary, with `classes=1`)
            or `None` (logits).
        name: Name of the returned model.

    Returns:
        An uncompiled functional `keras.Model`; `model.get_layer("backbone")`
        is the (frozen) feature extractor.

    Raises:
        ValueError: If any argument is invalid.

    Examples:
        >>> from dlguide.models import cnn, transfer
        >>> # say, trained on digits 0-4
        >>> backbone = cnn((28, 28), filters=(8, 16), classes=5)
        >>> model = transfer(backbone, classes=5)
        >>> [layer.name for layer in model.layers]
        ['input', 'backbone', 'output']
        >>> # the backbone's flattened features
        >>> model.get_layer("backbone").output.shape
        (None, 784)
        >>> # only the new head learns
        >>> len(model.trainable_weights), len(model.non_trainable_weights)
        (2, 4)
        >>> # 4-D features: pooled
        >>> transfer(backbone, feature_layer="pool_2", classes=5).output_shape
        (None, 5)
    """
    backbone = check_model(backbone, "backbone", _BACKBONE_EXAMPLE)
    feature_layer = check_non_empty_str(feature_layer, "feature_layer", allow_none=True)
    trainable = check_bool(trainable, "trainable")
    dense_units = check_int_sequence(dense_units, "dense_units")
    dropout = check_rate(dropout, "dropout")
    classes, classifier_activation = check_head(classes, classifier_activation)
    name = check_non_empty_str(name, "name")

    features = keras.Model(
        backbone.inputs[0], _feature_tensor(backbone, feature_layer), name="backbone"
    )
    features.trainable = trainable
    _freeze_batch_norm(features)
    inputs = keras.Input(shape=backbone.inputs[0].shape[1:], name="input")
    x = features(inputs)
    if len(x.shape) == 4:
        x = keras.layers.GlobalAveragePooling2D(name="global_pool")(x)
    elif len(x.shape) != 2:
        x = keras.layers.Flatten(name="flatten")(x)
    for i, units in enumerate(dense_units, start=1):
        if dropout > 0:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
        x = keras.layers.Dense(units, activation="relu", name=f"dense_{i}")(x)
    if dropout > 0:
        x = keras.layers.Dropout(dropout, name=f"dropout_{len(dense_units) + 1}")(x)
    outputs = keras.layers.Dense(classes, activation=classifier_activation, name="output")(x)
    return keras.Model(inputs, outputs, name=name)


def unfreeze(model: keras.Model, num_layers: int) -> int:
    """Make the top `num_layers` layers of a frozen backbone trainable, for fine-tuning.

    The backbone is the sub-model of `model` (the `"backbone"` that
    `transfer` builds), or `model` itself if it has no sub-model. Only
    layers that hold weights count, from the top down; all other backbone
    layers are frozen, and `BatchNormalization` layers always stay frozen
    (their statistics come from the first task and are fragile with few
    examples). Recompile the model afterwards (with a small learning rate)
    for the change to take effect.

    Args:
        model: A model built by `transfer`, or any built `keras.Model`.
        num_layers: How many weighted layers, counted from the top of the
            backbone, to make trainable. 0 freezes the whole backbone;
            more than there are unfreezes them all.

    Returns:
        The number of layers made trainable.

    Raises:
        ValueError: If `model` is not a built model, `num_layers` is not a
            non-negative integer, or `model` has several sub-models.

    Examples:
        >>> from dlguide.models import cnn, transfer, unfreeze
        >>> backbone = cnn((28, 28), filters=(8, 16, 32), classes=5)
        >>> model = transfer(backbone, classes=5)
        >>> # conv_3 learns again, conv_1 and conv_2 stay frozen
        >>> unfreeze(model, 1)
        1
        >>> [layer.name for layer in model.get_layer("backbone").layers
        ...  if layer.trainable]
        ['conv_3']
        >>> unfreeze(model, 10)  # there are only 3 conv layers
        3
    """
    model = check_model(model, "model", _BACKBONE_EXAMPLE)
    num_layers = check_non_negative_int(num_layers, "num_layers")
    nested = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    if len(nested) > 1:
        raise ValueError(
            "Expected a model with at most one sub-model (the backbone). Received: model with "
            f"sub-models {[layer.name for layer in nested]}"
        )
    base = nested[0] if nested else model
    base.trainable = True
    candidates = [
        layer
        for layer in base.layers
        if layer.weights and not isinstance(layer, keras.layers.BatchNormalization)
    ]
    # A backbone sub-model is frozen whole; a plain model keeps its weightless layers as they are.
    for layer in base.layers if base is not model else candidates:
        layer.trainable = False
    _freeze_batch_norm(base)
    chosen = candidates[len(candidates) - num_layers :] if num_layers else []
    for layer in chosen:
        layer.trainable = True
    return len(chosen)
