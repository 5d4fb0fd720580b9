"""MkDocs hook: figures on Markdown pages come from running the page itself.

A page shows a figure with a plain image link to a file next to it, e.g.
`![Training curves](ann_curves.png)`, and one of its ```python blocks writes
that file (`plot_history(history, path="ann_curves.png")`). When a page links
to images that do not exist in `docs/`, this hook runs the page's visible code
(the same blocks sybil tests, in order, in a fresh interpreter and an empty
working directory) and adds every image the run wrote to the site next to the
page. Runs are cached in `.cache/figures/` by a hash of the page's code and of
the `dlguide` sources, so `mkdocs serve` only re-runs a page whose code changed.
Pages that need a run are run two at a time (one per core of a small CI runner),
and two builds sharing the cache cannot clobber each other's results.
"""

from __future__ import annotations

import doctest
import hashlib
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.figures")

_FENCE = re.compile(r"^```python[ \t]*\n(?P<code>.*?)^```[ \t]*$", re.M | re.S)
_SKIP_NEXT = re.compile(r"<!--\s*skip:\s*next\b[^>]*-->\s*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\((?P<src>[^)\s:]+\.(?:png|svg))[^)]*\)")
_FIGURE_SUFFIXES = {".png", ".svg"}


def page_code(markdown: str) -> str:
    """The Python a reader runs when pasting the page's ```python blocks in order."""
    parts = []
    for match in _FENCE.finditer(markdown):
        if _SKIP_NEXT.search(markdown[: match.start()].rstrip() + "\n"):
            continue
        code = match["code"]
        if code.lstrip().startswith(">>>"):
            examples = doctest.DocTestParser().get_examples(code)
            code = "".join(example.source for example in examples)
        parts.append(code)
    return "\n".join(parts)


def _sources_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted((root / "dlguide").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _run_page(code: str, cache: Path, page: str) -> None:
    with tempfile.TemporaryDirectory(prefix="dlguide-figures-") as workdir:
        env = dict(os.environ, MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="2")
        log.info("Running %s to draw its figures", page)
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if result.returncode != 0:
            raise PluginError(
                f"Running the code of {page} to draw its figures failed:\n" + result.stderr[-3000:]
            )
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f"{cache.name}.", suffix=".tmp", dir=cache.parent))
        for path in Path(workdir).iterdir():
            if path.suffix in _FIGURE_SUFFIXES:
                shutil.copy2(path, tmp / path.name)
        try:
            tmp.rename(cache)
        except OSError:  # another build stored the same run first: keep its copy
            shutil.rmtree(tmp, ignore_errors=True)
            if not cache.is_dir():
                raise


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).parent
    docs = Path(config.docs_dir)
    known = {file.src_uri for file in files}
    sources = None
    pages = []
    for file in list(files.documentation_pages()):
        markdown = Path(file.abs_src_path).read_text(encoding="utf-8")
        folder = Path(file.src_uri).parent
        wanted = {(folder / m["src"]).as_posix() for m in _IMAGE.finditer(markdown)} - known
        if not wanted:
            continue
        code = page_code(markdown)
        sources = sources or _sources_digest(root)
        key = hashlib.sha256((sources + code).encode()).hexdigest()[:20]
        pages.append((file, folder, code, root / ".cache" / "figures" / key))
    pending = [(code, cache, file.src_uri) for file, _, code, cache in pages if not cache.is_dir()]
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda args: _run_page(*args), pending))  # re-raises a page's failure
    for file, folder, _, cache in pages:
        for figure in sorted(cache.iterdir()):
            uri = (folder / figure.name).as_posix()
            if uri in known:
                raise PluginError(f"{file.src_uri} writes {uri}, which exists in {docs}")
            files.append(File.generated(config, uri, abs_src_path=str(figure)))
            known.add(uri)
    return files
