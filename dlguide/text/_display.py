"""Show generated samples side by side, e.g. one per temperature."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

from .._validation import check_positive_int


def format_samples(samples: Mapping[Any, str], *, width: int = 72) -> str:
    """Format generated texts under a heading each, wrapped for reading.

    A number key is shown as `temperature <key>`, any other key as it is.
    Line breaks inside a sample are kept (one review per line in the IMDB
    corpus); long lines are wrapped at `width` characters.

    Args:
        samples: Heading key -> generated text, e.g. `{0.5: ..., 1.0: ...}`.
        width: Maximum line length of the wrapped text.

    Returns:
        One string, ready to `print`.

    Raises:
        ValueError: If `samples` is empty or holds a non-string text, or
            `width` is not a positive integer.

    Examples:
        >>> from dlguide.text import format_samples
        >>> print(format_samples({0.5: "the film was good. the film was good.",
        ...                       1.0: "a strange, lovely mess"}, width=20))
        temperature 0.5
        ---------------
        the film was good.
        the film was good.
        <BLANKLINE>
        temperature 1.0
        ---------------
        a strange, lovely
        mess
    """
    width = check_positive_int(width, "width")
    if not isinstance(samples, Mapping) or not samples:
        raise ValueError(f"Expected a non-empty mapping of texts. Received: samples={samples!r}")
    blocks = []
    for key, text in samples.items():
        if not isinstance(text, str):
            raise ValueError(f"Expected string texts. Received: samples[{key!r}]={text!r}")
        is_number = isinstance(key, (int, float)) and not isinstance(key, bool)
        heading = f"temperature {key}" if is_number else str(key)
        lines = [textwrap.fill(line, width) if line else "" for line in text.split("\n")]
        blocks.append("\n".join([heading, "-" * len(heading), *lines]))
    return "\n\n".join(blocks)
