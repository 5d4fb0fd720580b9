"""Shape arithmetic of convolutions and poolings, shared by `dlguide.scratch` and `dlguide.models`."""

from __future__ import annotations

import math


def output_length(size: int, kernel: int, stride: int, padding: str) -> int:
    """Output length along one axis (may be <= 0 for "valid" when the kernel does not fit)."""
    if padding == "same":
        return math.ceil(size / stride)
    return (size - kernel) // stride + 1 if size >= kernel else 0


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """Zeros before and after one axis for "same" padding (TensorFlow's rule: extra one after)."""
    total = max((math.ceil(size / stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2
