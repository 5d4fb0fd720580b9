"""Knowledge distillation: train a small student on a teacher's softened outputs."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from .._validation import check_positive_float, check_positive_int, check_rate

if TYPE_CHECKING:  # pragma: no cover
    import keras

_EPSILON = 1e-7


def _log_probabilities(probabilities: Any) -> Any:
    """Log-probabilities; they differ from the logits by a constant per row."""
    import keras

    return keras.ops.log(keras.ops.clip(probabilities, _EPSILON, 1.0))


@cache
def _distillation_loss_class() -> type:
    """The loss class, defined on first use so that importing this module skips Keras."""
    import keras

    class DistillationLoss(keras.losses.Loss):
        """Hinton et al.'s loss for a softmax student, on packed targets.

        `y_true` packs, per row, the label (column 0) and the teacher's
        log-probabilities (the other columns). The loss is
        `alpha * CE(label, student) + (1 - alpha) * T**2 * KL(teacher_T || student_T)`,
        where `_T` means the softmax of the log-probabilities divided by `T`.
        """

        def __init__(self, temperature: float, alpha: float, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.temperature = temperature
            self.alpha = alpha

        def call(self, y_true: Any, y_pred: Any) -> Any:
            ops = keras.ops
            labels = ops.cast(y_true[:, 0], "int32")
            teacher_log_p = y_true[:, 1:]
            student_log_p = _log_probabilities(y_pred)
            hard = keras.losses.sparse_categorical_crossentropy(labels, y_pred)
            t = self.temperature
            teacher_soft = ops.softmax(teacher_log_p / t, axis=-1)
            student_soft_log = ops.log_softmax(student_log_p / t, axis=-1)
            teacher_soft_log = ops.log_softmax(teacher_log_p / t, axis=-1)
            kl = ops.sum(teacher_soft * (teacher_soft_log - student_soft_log), axis=-1)
            return self.alpha * hard + (1 - self.alpha) * t**2 * kl

        def get_config(self) -> dict[str, Any]:
            return {**super().get_config(), "temperature": self.temperature, "alpha": self.alpha}

    return DistillationLoss


def _check_classifier(model: Any, name: str) -> keras.Model:
    import keras

    if (
        not isinstance(model, keras.Model)
        or len(model.outputs or []) != 1
        or len(model.output_shape) != 2
        or not model.output_shape[-1]
        or model.output_shape[-1] < 2
    ):
        raise ValueError(
            "Expected a Keras classifier with one softmax output of shape "
            f"(batch_size, classes), classes >= 2. Received: {name}={model!r}"
        )
    return model


def _packed_targets(teacher: keras.Model, x: Any, y: Any, batch_size: int) -> np.ndarray:
    import keras

    probabilities = teacher.predict(x, batch_size=256, verbose=0)
    log_p = keras.ops.convert_to_numpy(_log_probabilities(probabilities))
    labels = np.asarray(y, dtype="float32").reshape(-1, 1)
    if len(labels) != len(log_p):
        raise ValueError(
            f"Expected as many labels as inputs ({len(log_p)}). Received: y.shape={np.shape(y)}"
        )
    return np.concatenate([labels, log_p.astype("float32")], axis=1)


def distill(
    teacher: keras.Model,
    student: keras.Model,
    x: Any,
    y: Any,
    *,
    temperature: float = 4.0,
    alpha: float = 0.1,
    epochs: int = 10,
    batch_size: int = 64,
    learning_rate: float = 1e-3,
    validation_data: tuple[Any, Any] | None = None,
    verbose: int = 0,
) -> keras.callbacks.History:
    """Train `student` to imitate a trained `teacher` (knowledge distillation).

    The teacher's predictions on `x` are computed once. The student is then
    trained with Adam on a mix of two losses: the usual cross-entropy with
    the true labels (weight `alpha`) and the KL divergence between the
    teacher's and the student's outputs softened by a `temperature`
    (weight `1 - alpha`, times `temperature**2` so that its gradients keep
    their size). A high temperature spreads the teacher's probability over
    the wrong classes, which tells the student which mistakes are "close"
    (a 7 looks more like a 1 than like a 0). Hinton, Vinyals and Dean,
    [Distilling the Knowledge in a Neural Network](https://arxiv.org/abs/1503.02531).

    Both models must end in a softmax over the same classes; labels are
    integers (sparse). After training, the student is compiled again with
    sparse categorical cross-entropy and accuracy, so `student.evaluate`
    reports the usual numbers. Seed with `keras.utils.set_random_seed` for a
    repeatable run.

    Args:
        teacher: A trained classifier; it is not changed.
        student: The classifier to train, usually much smaller.
        x: Training inputs.
        y: Integer labels of `x`.
        temperature: Softening temperature `T` > 0; 1 means no softening.
        alpha: Weight in [0, 1) of the cross-entropy with the true labels.
        epochs: Training epochs.
        batch_size: Batch size.
        learning_rate: Adam's learning rate.
        validation_data: Optional `(x_val, y_val)`, scored with the same loss.
        verbose: Verbosity of `fit`.

    Returns:
        The `History` of the student's training.

    Raises:
        ValueError: If an argument is invalid, or the two models do not
            predict the same number of classes.

    Examples:
        >>> import keras
        >>> import numpy as np
        >>> from dlguide import deploy
        >>> keras.utils.set_random_seed(0)
        >>> x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
        >>> y = (x[:, 0] > 0).astype("int32")
        >>> def classifier(hidden):
        ...     return keras.Sequential([
        ...         keras.Input((4,)),
        ...         keras.layers.Dense(hidden, activation="relu"),
        ...         keras.layers.Dense(2, activation="softmax"),
        ...     ])
        >>> teacher = classifier(32)
        >>> teacher.compile(optimizer="adam",
        ...                 loss="sparse_categorical_crossentropy")
        >>> _ = teacher.fit(x, y, epochs=2, verbose=0)
        >>> student = classifier(2)
        >>> history = deploy.distill(teacher, student, x, y, epochs=2)
        >>> len(history.history["loss"])
        2
        >>> # evaluate returns [loss, accuracy]
        >>> round(student.evaluate(x, y, verbose=0)[1], 1) >= 0.0
        True
    """
    import keras

    teacher = _check_classifier(teacher, "teacher")
    student = _check_classifier(student, "student")
    if teacher.output_shape[-1] != student.output_shape[-1]:
        raise ValueError(
            "Expected the teacher and the student to predict the same number of classes. "
            f"Received: teacher.output_shape={teacher.output_shape}, "
            f"student.output_shape={student.output_shape}"
        )
    temperature = check_positive_float(temperature, "temperature")
    alpha = check_rate(alpha, "alpha")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    learning_rate = check_positive_float(learning_rate, "learning_rate")

    targets = _packed_targets(teacher, x, y, batch_size)
    validation = None
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise ValueError(
                "Expected validation_data=(x_val, y_val). "
                f"Received: validation_data of type {type(validation_data).__name__}"
            )
        x_val, y_val = validation_data
        validation = (x_val, _packed_targets(teacher, x_val, y_val, batch_size))

    student.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=_distillation_loss_class()(temperature, alpha),
    )
    # Adam's variables now: made inside fit's first traced step, they would
    # make TensorFlow trace that step twice.
    student.optimizer.build(student.trainable_variables)
    history = student.fit(
        x,
        targets,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=validation,
        verbose=verbose,
    )
    student.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return history
