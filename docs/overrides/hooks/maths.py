"""MkDocs hook: formulas are typeset by KaTeX at build time; no maths JavaScript in the browser.

Markdown pages write maths as `$...$` / `$$...$$`, which pymdownx.arithmatex (generic
mode) leaves as `<span class="arithmatex">\\(...\\)</span>` and
`<div class="arithmatex">\\[...\\]</div>`; notebook pages (nbconvert) leave `$...$` in
their Markdown cells. Every such formula is rendered here with KaTeX (from .ci/js, run
by `katex.cjs` in one Node.js process per build) into HTML plus MathML, inside an
`.arithmatex` element, and a page that has maths gets KaTeX's stylesheet in its `<head>`
(Material's instant navigation carries `<head>` links over). Pages without maths load
nothing of KaTeX. A formula KaTeX cannot parse fails the build.

This runs in `on_post_page`, after the search plugin has indexed the page, so the index
keeps the TeX source rather than KaTeX's markup.
"""

from __future__ import annotations

import atexit
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

CSS = "assets/vendor/katex/katex.min.css"  # served by hooks/assets.py
RENDERER = Path(__file__).with_name("katex.cjs")

# pymdownx.arithmatex (generic mode) output on Markdown pages
_ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
# nbconvert: the tokens of a page, and the maths in the text of a Markdown cell
_TOKENS = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)([^>]*?)(/?)>", re.S)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_NOTEBOOK_MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$([^$\n]+?)(?<!\\)\$", re.S)
_MARKDOWN_CELL = "jp-RenderedMarkdown"
_NO_MATH_TAGS = frozenset("code pre script style kbd textarea".split())


class Katex:
    """One Node.js process that renders lists of formulas with KaTeX."""

    def __init__(self, modules: Path) -> None:
        node = shutil.which("node")
        if node is None or not (modules / "katex").is_dir():
            raise PluginError(
                "Typesetting the maths needs Node.js and KaTeX in .ci/js/node_modules: "
                "run `bash .ci/setup` and build again."
            )
        self.process = subprocess.Popen(
            [node, str(RENDERER), str(modules)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def render(self, formulas: list[tuple[str, bool]]) -> list[dict[str, str]]:
        assert self.process.stdin and self.process.stdout
        request = [{"tex": tex, "display": display} for tex, display in formulas]
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise PluginError(f"the KaTeX process ({RENDERER.name}) ended unexpectedly")
        return json.loads(answer)

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


_katex: Katex | None = None


def _renderer(config: MkDocsConfig) -> Katex:
    global _katex
    if _katex is None:
        modules = Path(config.config_file_path).parent / ".ci" / "js" / "node_modules"
        _katex = Katex(modules)
        atexit.register(_katex.close)
    return _katex


def _typeset(formulas: list[tuple[str, bool]], page: Page, config: MkDocsConfig) -> list[str]:
    if not formulas:
        return []
    results = _renderer(config).render(formulas)
    errors = [
        f"  {tex.strip()[:100]!r}: {result['error']}"
        for (tex, _), result in zip(formulas, results, strict=True)
        if "error" in result
    ]
    if errors:
        raise PluginError(f"{page.file.src_uri}: KaTeX cannot typeset:\n" + "\n".join(errors))
    return [result["html"] for result in results]


def _arithmatex_source(inner: str, tag: str) -> tuple[str, bool]:
    """The TeX of one arithmatex element, and whether it is displayed (a block)."""
    tex = html.unescape(inner).strip()
    for left, right, display in (("\\(", "\\)", False), ("\\[", "\\]", True)):
        if tex.startswith(left) and tex.endswith(right):
            return tex[len(left) : -len(right)], display
    return tex, tag == "div"  # e.g. a \begin{align}...\end{align} block


def _markdown_page(output: str, page: Page, config: MkDocsConfig) -> tuple[str, int]:
    found = list(_ARITHMATEX.finditer(output))
    rendered = _typeset([_arithmatex_source(m[2], m[1]) for m in found], page, config)
    pieces, last = [], 0
    for match, markup in zip(found, rendered, strict=True):
        pieces += [
            output[last : match.start()],
            f'<{match[1]} class="arithmatex">{markup}</{match[1]}>',
        ]
        last = match.end()
    pieces.append(output[last:])
    return "".join(pieces), len(found)


def _notebook_page(output: str, page: Page, config: MkDocsConfig) -> tuple[str, int]:
    """Typeset `$...$` and `$$...$$` in the text of a notebook's Markdown cells."""
    tokens = _TOKENS.split(output)
    stack: list[tuple[str, bool, bool]] = []  # (tag, in a Markdown cell, maths allowed)
    spots: list[tuple[int, list[re.Match[str]]]] = []
    for index, token in enumerate(tokens):
        if token.startswith("<!--"):
            continue
        tag = _TAG.fullmatch(token) if token.startswith("<") else None
        if tag:
            closing, name = tag[1], tag[2].lower()
            if closing:
                while stack and stack.pop()[0] != name:
                    pass
            elif not tag[4] and name not in _VOID:
                cell, allowed = stack[-1][1:] if stack else (False, True)
                cell = cell or _MARKDOWN_CELL in tag[3]
                stack.append((name, cell, allowed and name not in _NO_MATH_TAGS))
        elif stack and stack[-1][1] and stack[-1][2] and "$" in token:
            matches = list(_NOTEBOOK_MATH.finditer(token))
            if matches:
                spots.append((index, matches))
    formulas = [
        (html.unescape(m[1] if m[1] is not None else m[2]).strip(), m[1] is not None)
        for _, matches in spots
        for m in matches
    ]
    rendered = iter(_typeset(formulas, page, config))
    for index, matches in spots:
        text, pieces, last = tokens[index], [], 0
        for match in matches:
            markup = next(rendered)
            cls = "arithmatex arithmatex--display" if match[1] is not None else "arithmatex"
            pieces += [text[last : match.start()], f'<span class="{cls}">{markup}</span>']
            last = match.end()
        pieces.append(text[last:])
        tokens[index] = "".join(pieces)
    return "".join(tokens), len(formulas)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if page.file.src_uri.endswith((".py", ".ipynb")):
        output, count = _notebook_page(output, page, config)
    else:
        output, count = _markdown_page(output, page, config)
    if count:
        href = get_relative_url(CSS, page.url)
        output = output.replace("</head>", f'<link rel="stylesheet" href="{href}">\n</head>', 1)
    return output


def on_post_build(config: MkDocsConfig) -> None:
    global _katex
    if _katex is not None:
        _katex.close()
        _katex = None
