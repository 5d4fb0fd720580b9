"""MkDocs hook: the built site must not make a request to any other host.

Notebook pages rendered by nbconvert carry a script that would import Mermaid
from a CDN when a notebook contains a diagram; it is removed here (the site's
own Mermaid renders diagrams on every page). Then every page is checked for
anything a browser would fetch from another host (scripts, styles, images,
fonts, preconnects, dynamic imports) and the build fails if one is left.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

_CDN_MERMAID = re.compile(
    r'<script type="module">(?:(?!</script>).)*?cdnjs\.cloudflare\.com/ajax/libs/mermaid'
    r"(?:(?!</script>).)*</script>",
    re.S,
)
_FETCHED = re.compile(
    r"""<(?:script|img|iframe|source|video|audio)\b[^>]*\bsrc=["']?(?P<a>(?:https?:)?//[^"'\s>]+)"""
    r"""|<link\b[^>]*\bhref=["']?(?P<b>(?:https?:)?//[^"'\s>]+)"""
    r"""|\bimport\(\s*["'](?P<c>(?:https?:)?//[^"']+)"""
    r"""|url\(\s*["']?(?P<d>(?:https?:)?//[^"')]+)""",
    re.I,
)


def external_fetches(html: str, site_url: str = "") -> list[str]:
    """URLs on another host that a browser would fetch when showing `html`."""
    urls = [next(g for g in m.groups() if g) for m in _FETCHED.finditer(html)]
    return [u for u in urls if not (site_url and u.startswith(site_url))]


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    output = _CDN_MERMAID.sub("", output)
    # <link rel="canonical"> and alternate links are not fetched; skip them.
    fetched = [
        url
        for url in external_fetches(output, config.site_url or "")
        if not re.search(
            rf'rel="(?:canonical|alternate)"[^>]*{re.escape(url)}|{re.escape(url)}[^>]*rel="(?:canonical|alternate)"',
            output,
        )
    ]
    if fetched:
        raise PluginError(
            f"{page.file.src_uri} would load {', '.join(sorted(set(fetched)))} "
            "from another host; serve it from the site instead."
        )
    return output
