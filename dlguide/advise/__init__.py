"""Which architecture, and which optimizer, for your data: the rules of the guide, as code.

`architecture` takes the kind of data (tabular, images, text, time series,
image sequence) and, if you know them, the number of examples and the
sequence length; it returns the recommended architecture, the
`dlguide.models` builder to call and the reason. `optimizer` does the same
for the optimizer and its learning rate. Both follow the flowcharts of the
"Which architecture?" page, and a test keeps the two in step. Nothing here
imports Keras until you build something.

Examples:
    >>> from dlguide import advise
    >>> advice = advise.architecture("time series", num_examples=500,
    ...                              sequence_length=30)
    >>> advice.architecture
    'GRU'
    >>> advice.call
    "dlguide.models.rnn(input_shape, cell='gru', classes=1, classifier_activation=None)"
    >>> advise.optimizer(advice).call
    'keras.optimizers.Adam(learning_rate=0.001, clipnorm=1.0)'
"""

from ._architecture import ArchitectureAdvice, architecture
from ._optimizer import OptimizerAdvice, optimizer

__all__ = ["ArchitectureAdvice", "OptimizerAdvice", "architecture", "optimizer"]
