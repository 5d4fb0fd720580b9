"""MkDocs hook: notebook pages without TensorFlow's (or LiteRT's) start-up log, and light.

- When a notebook imports TensorFlow (or LiteRT), its C++ runtime writes a few timestamped
  lines (oneDNN, CUDA probing) straight to the process's stderr before Python
  can silence them, and Jupyter shows them as cell output. An output block that
  holds nothing but such lines is removed; any other stderr output stays.
- nbconvert puts every figure into the page as a base64 `data:` URL, which the
  browser must download and decode before it can show the text below it. Each
  PNG becomes a file next to the page instead (named by its content), shown with
  its width and height (no layout shift) and loaded lazily, as it comes near the
  screen. A large figure that WebP stores losslessly in much less (photographs:
  about half) is offered as that copy first. The figures themselves are those of
  the tested run (harness/); only where the bytes live, and how, changes.
- mkdocs-jupyter inlines JupyterLab's whole stylesheet (about 600 KB) into every
  notebook page. Each `<style>` block keeps only the rules whose selectors can match
  the page (every class they require is on it) and the custom properties those rules
  use (`trim_css`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import io
import re
import struct
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tinycss2
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


_INLINE_PNG = re.compile(
    r"""<img\b(?P<before>[^>]*?)\ssrc=["']data:image/png;base64,(?P<data>[A-Za-z0-9+/=\s]+)["']"""
    r"""(?P<after>[^>]*?)\s*/?>"""
)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """The width and height of a PNG image, from its header."""
    if data[:8] != _PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", data[16:24])


# A figure of at least this many bytes also gets a lossless WebP copy, kept when it saves
# at least WEBP_SAVING of the PNG's size (photographs in a figure: about half).
WEBP_FROM_BYTES = 50_000
WEBP_SAVING = 0.25


def _webp_copy(data: bytes, target: Path) -> bool:
    """Write `data` (a PNG) losslessly as WebP at `target` if that saves enough; whether it did."""
    if len(data) < WEBP_FROM_BYTES:
        return False
    if target.is_file():
        return True
    try:
        from PIL import Image
    except ImportError:  # the PNG alone will do
        return False
    buffer = io.BytesIO()
    with Image.open(io.BytesIO(data)) as image:
        image.save(buffer, "WEBP", lossless=True, quality=50, method=1)  # fast, lossless
    if buffer.tell() > (1 - WEBP_SAVING) * len(data):
        return False
    target.write_bytes(buffer.getvalue())
    return True


def images_to_files(output: str, folder: Path, prefix: str = "output") -> str:
    """Write each inline PNG of `output` (HTML) into `folder`; link it with its size, lazily.

    A large figure that a lossless WebP copy makes much smaller is offered as that copy
    first (`<picture>`); browsers without WebP, and the site's checks, see the PNG.
    """

    def replace(match: re.Match[str]) -> str:
        data = base64.b64decode(re.sub(r"\s+", "", match["data"]))
        width, height = png_size(data)
        name = f"{prefix}-{hashlib.sha256(data).hexdigest()[:12]}.png"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        if not target.is_file():
            target.write_bytes(data)
        attributes = f"{match['before']}{match['after']}".strip()
        attributes = re.sub(
            r"""\s(?:width|height|loading|decoding)=["'][^"']*["']""", "", f" {attributes}"
        )
        img = (
            f'<img{attributes} src="{name}" width="{width}" height="{height}" '
            'loading="lazy" decoding="async">'
        )
        webp = target.with_suffix(".webp")
        if not _webp_copy(data, webp):
            return img
        return f'<picture><source srcset="{webp.name}" type="image/webp">{img}</picture>'

    return _INLINE_PNG.sub(replace, output)


_CLASS_ATTRIBUTE = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_STYLE_BLOCK = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.S | re.I)
_SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_NEGATION = re.compile(r":not\((?:[^()]|\([^()]*\))*\)")
_ATTRIBUTE_SELECTOR = re.compile(r"\[[^\]]*\]")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside `:is(...)`)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [part.strip() for part in parts if part.strip()]


def _can_match(selector: str, classes: set[str]) -> bool:
    """False if `selector` requires a class that no element of the page has."""
    required = _ATTRIBUTE_SELECTOR.sub("", _NEGATION.sub("", selector))
    return all(name in classes for name in _SELECTOR_CLASS.findall(required))


def _rules(rules: Iterable[Any], classes: set[str]) -> list[str]:
    kept = []
    for rule in rules:
        kind = getattr(rule, "type", None)
        if kind == "qualified-rule":
            selectors = [
                s
                for s in _split_selectors(tinycss2.serialize(rule.prelude))
                if _can_match(s, classes)
            ]
            if selectors:
                kept.append(f"{','.join(selectors)}{{{tinycss2.serialize(rule.content).strip()}}}")
        elif (
            kind == "at-rule"
            and rule.lower_at_keyword in {"media", "supports", "layer"}
            and rule.content
        ):
            inner = _rules(
                tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True),
                classes,
            )
            if inner:
                kept.append(
                    f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}"
                )
        elif kind == "at-rule":
            kept.append(tinycss2.serialize([rule]).strip())
    return kept


def _declarations(rule: Any) -> list[Any]:
    return [
        item
        for item in tinycss2.parse_blocks_contents(rule.content)
        if getattr(item, "type", None) == "declaration"
    ]


def _drop_unused_properties(css: str) -> str:
    """Remove custom-property declarations (`--x: ...`) that nothing in `css` reads."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    declared: dict[str, str] = {}  # custom property -> its values (to follow var() chains)
    used: set[str] = set()
    for rule in rules:
        if getattr(rule, "type", None) != "qualified-rule":  # @media etc.: all it mentions
            used.update(_VAR.findall(tinycss2.serialize([rule])))
            continue
        for item in _declarations(rule):
            value = tinycss2.serialize(item.value)
            if item.name.startswith("--"):
                declared[item.name] = declared.get(item.name, "") + value
            else:
                used.update(_VAR.findall(value))
    todo = list(used)
    while todo:
        for name in _VAR.findall(declared.get(todo.pop(), "")):
            if name not in used:
                used.add(name)
                todo.append(name)

    def keep(rule: Any) -> str:
        if getattr(rule, "type", None) != "qualified-rule":
            return tinycss2.serialize([rule]).strip()
        items = [i for i in _declarations(rule) if not i.name.startswith("--") or i.name in used]
        declarations = ";".join(
            f"{i.name}:{tinycss2.serialize(i.value).strip()}" + ("!important" * i.important)
            for i in items
        )
        return f"{tinycss2.serialize(rule.prelude).strip()}{{{declarations}}}" if items else ""

    return "".join(keep(rule) for rule in rules)


@functools.lru_cache(maxsize=8)  # every notebook page has the same style blocks
def _parsed(css: str) -> tuple[Any, ...]:
    return tuple(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def trim_css(css: str, classes: set[str]) -> str:
    """The rules of `css` that can match a page whose elements have `classes`."""
    rules = _parsed(css)
    return _drop_unused_properties("".join(_rules(rules, classes)))


def trim_styles(output: str) -> str:
    """Every `<style>` block of a page (HTML) trimmed to what the page can use."""
    classes = {
        name
        for match in _CLASS_ATTRIBUTE.finditer(output)
        for name in (match[1] or match[2] or "").split()
    }
    return _STYLE_BLOCK.sub(lambda m: m[1] + trim_css(m[2], classes) + m[3], output)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if not page.file.src_uri.endswith((".py", ".ipynb")):
        return output
    output = _STDERR_BLOCK.sub(lambda m: "" if _only_native_log(m["text"]) else m[0], output)
    # The page is written to <site>/<dest_uri> (projects/x/index.html): its figures go beside it.
    folder = Path(config.site_dir, page.file.dest_uri).parent
    return trim_styles(images_to_files(output, folder))
