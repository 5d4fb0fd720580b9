"""MkDocs hook: drop TensorFlow's (and LiteRT's) native log lines from notebook pages.

When a notebook imports TensorFlow, its C++ runtime writes a few timestamped
lines (oneDNN, CUDA probing) straight to the process's stderr before Python
can silence them, and Jupyter shows them as cell output. An output block that
holds nothing but such lines is removed; any other stderr output stays.
"""

from __future__ import annotations

import html
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

_STDERR_BLOCK = re.compile(
    r'<div class="jp-OutputArea-child">\s*<div class="jp-OutputPrompt[^"]*"></div>\s*'
    r'<div class="jp-RenderedText jp-OutputArea-output" '
    r'data-mime-type="application/vnd.jupyter.stderr"[^>]*>\s*<pre>(?P<text>.*?)</pre>\s*'
    r"</div>\s*</div>",
    re.S,
)
_NATIVE_LOG_LINE = re.compile(
    r"WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|[IWE]\d{4} \d\d:\d\d:[\d.]+\s+\d+ [\w.]+:\d+\] .*"
    # second line of the CPU-feature notice
    r"|To enable the following instructions: .*rebuild TensorFlow with the appropriate compiler flags\."
    # LiteRT's interpreter, when it loads a model
    r"|INFO: Created TensorFlow Lite XNNPACK delegate for CPU\."
)


def _only_native_log(text: str) -> bool:
    lines = [line for line in html.unescape(text).splitlines() if line.strip()]
    return bool(lines) and all(_NATIVE_LOG_LINE.fullmatch(line) for line in lines)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if not page.file.src_uri.endswith((".py", ".ipynb")):
        return output
    return _STDERR_BLOCK.sub(lambda m: "" if _only_native_log(m["text"]) else m[0], output)
