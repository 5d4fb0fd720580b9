"""Tools for text generation: characters to ids, temperature sampling, perplexity.

`CharVocabulary` encodes text as integer ids, `shifted_sequences` cuts it
into next-character training pairs for `dlguide.models.char_language_model`,
`sample` draws the next character with a temperature, `generate` writes text
with a trained model, `perplexity` scores a model on held-out text and
`format_samples` lays generated samples out for reading. Only `generate`
uses Keras; the rest is NumPy.

Examples:
    >>> import numpy as np
    >>> from dlguide import text
    >>> vocabulary = text.CharVocabulary("the cat sat on the mat")
    >>> ids = vocabulary.encode("the cat sat on the mat")
    >>> X, Y = text.shifted_sequences(ids, 8)
    >>> X.shape, vocabulary.decode(X[0]), vocabulary.decode(Y[0])
    ((2, 8), 'the cat ', 'he cat s')
    >>> uniform = np.full((*Y.shape, len(vocabulary)), 1 / len(vocabulary))
    >>> len(vocabulary), round(text.perplexity(uniform, Y), 6)
    (10, 10.0)
"""

from ._display import format_samples
from ._perplexity import perplexity
from ._sampling import generate, sample
from ._vocabulary import CharVocabulary, shifted_sequences

__all__ = [
    "CharVocabulary",
    "format_samples",
    "generate",
    "perplexity",
    "sample",
    "shifted_sequences",
]
