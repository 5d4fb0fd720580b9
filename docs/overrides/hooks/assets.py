"""MkDocs hook: serve Mermaid and KaTeX from the site itself.

The libraries are installed from the npm registry by `.ci/setup` (`npm ci`,
pinned with integrity hashes in `.ci/js/package-lock.json`) and added to the
site here, so no page ever loads a script, style or font from another host.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

# site path -> path below .ci/js/node_modules
_ASSETS = {
    "assets/vendor/mermaid/mermaid.min.js": "mermaid/dist/mermaid.min.js",
    "assets/vendor/katex/katex.min.js": "katex/dist/katex.min.js",
    "assets/vendor/katex/auto-render.min.js": "katex/dist/contrib/auto-render.min.js",
    "assets/vendor/katex/katex.min.css": "katex/dist/katex.min.css",
}
_FONTS = ("katex/dist/fonts", "assets/vendor/katex/fonts")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    modules = Path(config.config_file_path).parent / ".ci" / "js" / "node_modules"
    wanted = dict(_ASSETS)
    fonts = modules / _FONTS[0]
    if fonts.is_dir():
        for font in sorted(fonts.glob("*.woff2")):
            wanted[f"{_FONTS[1]}/{font.name}"] = f"{_FONTS[0]}/{font.name}"
    missing = [src for src in wanted.values() if not (modules / src).is_file()]
    if missing or not fonts.is_dir():
        raise PluginError(
            f"Site assets are missing from {modules} ({', '.join(missing) or _FONTS[0]}). "
            "Run `bash .ci/setup` (it runs `npm ci` in .ci/js) and build again."
        )
    for dest, src in wanted.items():
        files.append(File.generated(config, dest, abs_src_path=str(modules / src)))
    return files
