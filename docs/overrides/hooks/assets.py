"""MkDocs hook: serve Mermaid and KaTeX's stylesheet and fonts from the site itself.

The libraries are installed from the npm registry by `.ci/setup` (`npm ci`,
pinned with integrity hashes in `.ci/js/package-lock.json`) and added to the
site here, so no page ever loads a script, style or font from another host.

- Mermaid: its ES-module build, whose core loads only the code of the diagram
  types a page draws (`import()` of files under `chunks/`). `javascripts/mermaid.js`
  imports it only on a page with a diagram, once the diagram comes near the screen.
  Source-map comments are dropped (the maps are not served).
- KaTeX: formulas are typeset at build time (hooks/maths.py), so only its stylesheet
  and fonts are served, and only pages with maths link the stylesheet. The fonts are
  the `.woff2` files; the stylesheet's `.woff` and `.ttf` fallbacks, for browsers
  without WOFF2 (none of those the site supports), are removed from it, so every
  `url()` in it points to a served file.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

MERMAID = ("mermaid/dist", "assets/vendor/mermaid")
MERMAID_ENTRY = "mermaid.esm.min.mjs"
MERMAID_CHUNKS = "chunks/mermaid.esm.min"
KATEX = ("katex/dist", "assets/vendor/katex")

_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")
# `,url(fonts/X.woff) format("woff")` and the same for .ttf, after the .woff2 source
_FALLBACK_FONT = re.compile(
    r""",\s*url\(\s*["']?[^)"']+\.(?:woff|ttf)["']?\s*\)\s*format\(["']?[\w-]+["']?\)"""
)


def _modules(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent / ".ci" / "js" / "node_modules"


def _missing(modules: Path, paths: list[str]) -> None:
    raise PluginError(
        f"Site assets are missing from {modules} ({', '.join(paths)}). "
        "Run `bash .ci/setup` (it runs `npm ci` in .ci/js) and build again."
    )


def katex_css(text: str) -> str:
    """KaTeX's stylesheet with only its `.woff2` font sources."""
    return _FALLBACK_FONT.sub("", text)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    modules = _modules(config)
    mermaid, katex = modules / MERMAID[0], modules / KATEX[0]
    entry, chunks = mermaid / MERMAID_ENTRY, mermaid / MERMAID_CHUNKS
    fonts = sorted((katex / "fonts").glob("*.woff2"))
    css = katex / "katex.min.css"
    missing = [str(p.relative_to(modules)) for p in (entry, chunks, css) if not p.exists()]
    if missing or not fonts:
        _missing(modules, missing or [f"{KATEX[0]}/fonts/*.woff2"])

    for path in [entry, *sorted(chunks.glob("*.mjs"))]:
        dest = f"{MERMAID[1]}/{path.relative_to(mermaid).as_posix()}"
        code = _SOURCE_MAP.sub("", path.read_text(encoding="utf-8"))
        files.append(File.generated(config, dest, content=code))
    files.append(
        File.generated(
            config, f"{KATEX[1]}/katex.min.css", content=katex_css(css.read_text(encoding="utf-8"))
        )
    )
    for font in fonts:
        files.append(
            File.generated(config, f"{KATEX[1]}/fonts/{font.name}", abs_src_path=str(font))
        )
    return files
