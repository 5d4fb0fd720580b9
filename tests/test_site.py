"""The built site: one strict `mkdocs build`, checked as files and in headless Chromium.

The site is built once per module (keep every site test in this file, so that
``--dist loadfile`` runs them on one worker and they share that build). The
``build`` tests read the generated HTML; the ``browser`` tests serve it on
127.0.0.1 and open every page of the sitemap in Chromium through Playwright,
with every other host unresolvable, as a reader without a network would.

Without Chromium or Playwright the browser tests skip, except on CI
(``CI=true``), where they fail.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
TIMEOUT_MS = 15_000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

# The vendor libraries (hooks/assets.py) are served under VENDOR/<name>/.
VENDOR = "/assets/vendor/"
AXE = REPO / ".ci" / "js" / "node_modules" / "axe-core" / "axe.min.js"
# A page with neither diagrams nor maths weighs at most this (issue 17).
PLAIN_PAGE_KIB = 600
# Where the browser tests write each page's weight, libraries and axe-core counts.
REPORT = REPO / ".cache" / "site-report.txt"

# The cheatsheet that the print test prints to PDF.
PRINTED_PAGE = "cheatsheets/activations-losses-optimizers/"

# A word the search must find; the test first checks that the site contains it.
SEARCH_TERM = "MNIST"

build = pytest.mark.build
browser = pytest.mark.browser


# --------------------------------------------------------------------------- build


@dataclass(frozen=True)
class Site:
    """A built site: its directory, its configured URL and its sitemap's pages."""

    root: Path
    site_url: str
    page_urls: tuple[str, ...]  # relative to site_url: "", "roadmap/", ...

    def html_file(self, url: str) -> Path:
        """The built file that serves the page at `url` (relative to the site)."""
        path = self.root / url
        return path / "index.html" if url == "" or url.endswith("/") else path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Build the site once with ``mkdocs build --strict``; fail with its output."""
    # DLGUIDE_SITE_DIR keeps the build (the Pages workflow publishes the site it tested).
    out = Path(os.environ.get("DLGUIDE_SITE_DIR") or tmp_path_factory.mktemp("site"))
    # The pages and notebooks run on the test workers, which store their outputs in the
    # execution cache; the build takes them from there (harness/). Whatever it still has to
    # run itself, it runs one at a time: the other worker is busy with tests.
    env = dict(
        os.environ, TF_CPP_MIN_LOG_LEVEL="2", NO_MKDOCS_2_WARNING="1", DLGUIDE_BUILD_JOBS="1"
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        pytest.fail(
            f"`mkdocs build --strict` failed (exit {result.returncode}):\n{result.stdout}",
            pytrace=False,
        )

    from mkdocs.config import load_config

    site_url = load_config(str(REPO / "mkdocs.yml")).site_url or ""
    sitemap = ET.parse(out / "sitemap.xml")
    locs = [el.text or "" for el in sitemap.iter(f"{{{SITEMAP_NS}}}loc")]
    outside = [loc for loc in locs if not loc.startswith(site_url)]
    assert not outside, f"sitemap entries outside site_url {site_url}: {outside}"
    return Site(out, site_url, tuple(loc[len(site_url) :] for loc in locs))


def _notebooks() -> list[Path]:
    """The jupytext notebooks that mkdocs-jupyter renders (``include: projects/*.py``)."""
    return sorted((DOCS / "projects").glob("*.py"))


def _offline_hook() -> ModuleType:
    """docs/overrides/hooks/offline.py, imported from its path."""
    path = DOCS / "overrides" / "hooks" / "offline.py"
    spec = importlib.util.spec_from_file_location("dlguide_offline_hook", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_NOT_FETCHED = re.compile(r"""<link\b[^>]*\brel=["']?(?:canonical|alternate)\b[^>]*>""", re.I)


@build
def test_strict_build_succeeds(site: Site) -> None:
    """``mkdocs build --strict`` exits 0 and writes the home page and the sitemap."""
    assert (site.root / "index.html").is_file()
    assert (site.root / "sitemap.xml").is_file()
    assert "" in site.page_urls, "the sitemap does not list the home page"


@build
def test_no_page_shows_a_notice_instead_of_outputs(site: Site) -> None:
    """A strict build has every output: no "being computed" or "failed" notice anywhere.

    Only `mkdocs serve` shows those notices (harness/outputs.py); a build runs what is
    missing and fails if it fails.
    """
    from harness.outputs import FAILED_CLASS, PENDING_CLASS

    noticed = [
        path.relative_to(site.root).as_posix()
        for path in sorted(site.root.rglob("*.html"))
        if PENDING_CLASS in (text := path.read_text(encoding="utf-8")) or FAILED_CLASS in text
    ]
    assert not noticed, f"pages with a notice instead of their outputs: {noticed}"


@build
def test_every_sitemap_page_exists(site: Site) -> None:
    """Every URL in the built sitemap is served by a built HTML file."""
    missing = [url or "/" for url in site.page_urls if not site.html_file(url).is_file()]
    assert not missing, f"sitemap pages with no built file: {missing}"


@build
@pytest.mark.parametrize("source", _notebooks(), ids=lambda p: p.name)
def test_notebook_page_is_executed_without_errors(site: Site, source: Path) -> None:
    """A project notebook is rendered, every code cell ran, and no output is an error."""
    page = site.root / "projects" / source.stem / "index.html"
    assert page.is_file(), f"{source.name} was not rendered to {page}"
    html = page.read_text(encoding="utf-8")
    assert 'class="jp-Notebook"' in html, f"{page} is not an nbconvert notebook page"

    prompts = re.findall(r'<div class="jp-InputPrompt jp-InputArea-prompt">(.*?)</div>', html, re.S)
    code_prompts = [p.strip() for p in prompts if p.strip()]
    assert code_prompts, f"{source.name} shows no code cell with an execution count"
    unexecuted = [p for p in code_prompts if not re.fullmatch(r"In\s*\[\d+\]:", p)]
    assert not unexecuted, f"{source.name}: code cells that did not run: {unexecuted}"
    assert "jp-OutputArea-output" in html, f"{source.name}: no cell printed any output"

    # nbconvert renders tracebacks and stderr streams with the stderr MIME type.
    errors = re.findall(
        r'<div class="jp-RenderedText jp-OutputArea-output"\s+data-mime-type="application/vnd\.jupyter\.stderr"[^>]*>'
        r"\s*<pre>(.*?)</pre>",
        html,
        re.S,
    )
    shown = "\n---\n".join(re.sub(r"<[^>]+>", "", e).strip()[:500] for e in errors)
    assert not errors, f"{source.name}: {len(errors)} error/stderr output(s):\n{shown}"


@build
@pytest.mark.parametrize("source", _notebooks(), ids=lambda p: p.name)
def test_notebook_page_offers_its_source(site: Site, source: Path) -> None:
    """The notebook's .py is published next to its page, and the page links to it."""
    folder = site.root / "projects" / source.stem
    copy = folder / source.name
    assert copy.is_file(), f"{source.name} is not published at {copy} (include_source)"
    assert copy.read_bytes() == source.read_bytes()

    page_url = f"{site.site_url or 'http://site.invalid/'}projects/{source.stem}/"
    html = (folder / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r"""<a\b[^>]*\bhref=["']([^"']+)["']""", html)
    targets = {urljoin(page_url, href).split("#")[0] for href in hrefs}
    assert urljoin(page_url, source.name) in targets, (
        f"projects/{source.stem}/ has no link to download {source.name}. mkdocs-jupyter only "
        "sets page.nb_url; the theme must show it (e.g. a download button in "
        "docs/overrides/main.html)."
    )


@build
def test_no_page_fetches_from_another_host(site: Site) -> None:
    """No built HTML or CSS file makes the browser fetch from another host."""
    external_fetches = _offline_hook().external_fetches
    found = {}
    for path in sorted(site.root.rglob("*")):
        if path.suffix not in {".html", ".css"}:
            continue
        text = _NOT_FETCHED.sub("", path.read_text(encoding="utf-8", errors="replace"))
        urls = external_fetches(text, site.site_url)
        if urls:
            found[path.relative_to(site.root).as_posix()] = sorted(set(urls))
    assert not found, f"files that fetch from another host: {found}"


_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)


@build
def test_every_url_in_served_css_resolves(site: Site) -> None:
    """Every ``url()`` in a served stylesheet or ``<style>`` block names a file of the site.

    (KaTeX's stylesheet used to ask for ``.woff`` and ``.ttf`` fonts that were not served.)
    """
    broken = set()
    for path in sorted(site.root.rglob("*")):
        if path.suffix == ".css":
            styles = [path.read_text(encoding="utf-8", errors="replace")]
        elif path.suffix == ".html":
            styles = _STYLE.findall(path.read_text(encoding="utf-8", errors="replace"))
        else:
            continue
        for style in styles:
            for _, url in _CSS_URL.findall(style):
                target = url.split("#")[0].split("?")[0]
                if not target or url.startswith(("data:", "#")):
                    continue
                if not (path.parent / target).resolve().is_file():
                    broken.add(f"{path.relative_to(site.root).as_posix()}: url({url})")
    assert not broken, f"url() that no file serves ({len(broken)}):\n  " + "\n  ".join(
        sorted(broken)
    )


@build
def test_notebook_figures_are_files_with_a_size(site: Site) -> None:
    """Notebook pages link their figures as files, sized and lazily loaded, not inline."""
    for source in _notebooks():
        folder = site.root / "projects" / source.stem
        html = (folder / "index.html").read_text(encoding="utf-8")
        assert "data:image/png;base64" not in html, f"{source.name}: an inline figure"
        for img in re.findall(r"<img\b[^>]*>", html):
            src = re.search(r'\bsrc="([^"]+)"', img)
            assert src and (folder / src[1]).is_file(), f"{source.name}: {img[:200]}"
            for attribute in ("width", "height", 'loading="lazy"'):
                assert attribute in img, f"{source.name}: no {attribute} in {img[:200]}"


# ------------------------------------------------------------------------- browser


def _unavailable(reason: str) -> None:
    """Skip a browser test, or fail it on CI, where the browser must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so browser tests may not skip)", pytrace=False)
    pytest.skip(reason)


def _chromium() -> str | None:
    """The Chromium to drive: Debian's, else any on PATH."""
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    return shutil.which("chromium")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def base_url(site: Site) -> Iterator[str]:
    """The built site, served over HTTP on 127.0.0.1 from a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(site.root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium for every browser test, through Playwright's sync API."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: pip install playwright")
    executable = _chromium()
    if executable is None:
        _unavailable("Chromium is not installed: apt-get install chromium")
    with sync_playwright() as playwright:
        browser_ = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser_
        browser_.close()


# Material draws Mermaid into a closed shadow root; open it so the test can look in.
_OPEN_SHADOW_ROOTS = """
(() => {
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attachShadow.call(this, Object.assign({}, init, { mode: "open" }));
  };
})();
"""

# One message per `.mermaid` element: "" when drawn, else what is wrong.
_MERMAID_PROBLEMS = """() => [...document.querySelectorAll(".mermaid")].map((host) => {
  const svg = host.shadowRoot && host.shadowRoot.querySelector("svg");
  const source = (host.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 80);
  if (!svg) return `not drawn: ${source}`;
  if (svg.getAttribute("aria-roledescription") === "error") return "Mermaid drew an error";
  const box = svg.getBoundingClientRect();
  const view = svg.viewBox && svg.viewBox.baseVal;
  const sized = (box.width > 0 && box.height > 0) || (view && view.width > 0 && view.height > 0);
  return sized ? "" : "drawn with zero size";
})"""

# The source of every `.arithmatex` element that KaTeX did not typeset (at build time).
_UNRENDERED_MATH = """() => [...document.querySelectorAll(".arithmatex")]
  .filter((el) => !el.querySelector(".katex") || el.querySelector(".katex-error"))
  .map((el) => el.textContent.trim().slice(0, 80))"""

# [url, bytes] of the document and of everything it loaded (Resource Timing; decoded sizes).
_LOADED = """() => performance.getEntriesByType("navigation")
  .concat(performance.getEntriesByType("resource"))
  .map((entry) => [entry.name, entry.decodedBodySize])"""

# Resolves when every finite animation and transition on the page has finished.
_ANIMATIONS_DONE = """() => Promise.all(document.getAnimations()
  .filter((a) => a.effect && a.effect.getTiming().iterations !== Infinity)
  .map((a) => a.finished.catch(() => null)))"""

# axe-core's violations, one summary per rule.
_AXE_RUN = """() => axe.run(document, { resultTypes: ["violations"] }).then((results) =>
  results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    nodes: v.nodes.length,
    targets: v.nodes.slice(0, 3).map((node) => node.target.join(" ")),
  })))"""


@dataclass
class Visit:
    """What one page did in the browser."""

    url: str
    foreign_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    diagrams: int = 0
    diagram_problems: list[str] = field(default_factory=list)
    math: int = 0
    unrendered_math: list[str] = field(default_factory=list)
    abbreviations: int = 0
    weight: int = 0  # bytes loaded on opening the page, before any scrolling
    libraries: set[str] = field(default_factory=set)  # vendor libraries loaded, by the end
    violations: list[dict[str, Any]] = field(default_factory=list)  # axe-core's
    layout: Layout = field(default_factory=lambda: Layout())

    @property
    def uses(self) -> set[str]:
        """The vendor libraries the page needs: Mermaid to draw, KaTeX's CSS for maths."""
        return {name for name, used in (("mermaid", self.diagrams), ("katex", self.math)) if used}

    def serious(self) -> list[str]:
        """axe-core's critical and serious violations, one line each."""
        return [
            f"{v['impact']} {v['id']} ({v['nodes']}x: {', '.join(v['targets'])})"
            for v in self.violations
            if v["impact"] in {"critical", "serious"}
        ]


class Recorder:
    """Listens to a browser page and files its requests and errors under ``self.visit``."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.local = urlsplit(base_url).netloc
        self.visit = Visit("")
        page.on("request", self._request)
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        page.on("console", lambda m: m.type == "error" and self.visit.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.visit.page_errors.append(str(e)))

    def _is_local(self, url: str) -> bool:
        return urlsplit(url).netloc == self.local

    def _request(self, request: Any) -> None:
        fetched = urlsplit(request.url).scheme in {"http", "https", "ws", "wss"}
        if fetched and not self._is_local(request.url):  # not data:, blob:, ...
            self.visit.foreign_requests.append(request.url)

    def _request_failed(self, request: Any) -> None:
        # net::ERR_ABORTED is the browser dropping a request it no longer needs (the favicon
        # when the next page is opened), not the site failing to answer.
        if self._is_local(request.url) and "ERR_ABORTED" not in str(request.failure):
            self.visit.failed_requests.append(f"{request.url}: {request.failure}")

    def _response(self, response: Any) -> None:
        if self._is_local(response.url) and response.status >= 400:
            self.visit.failed_requests.append(f"{response.url}: HTTP {response.status}")


@pytest.fixture(scope="module")
def new_page(chromium: Any, base_url: str) -> Iterator[Callable[..., Any]]:
    """Open pages, each in a fresh browser context, that see open shadow roots."""
    contexts = []

    def new(permissions: Sequence[str] = (), color_scheme: str = "light") -> Any:
        context = chromium.new_context(
            viewport={"width": 1280, "height": 800}, color_scheme=color_scheme
        )
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.grant_permissions(list(permissions), origin=base_url.rstrip("/"))
        context.add_init_script(_OPEN_SHADOW_ROOTS)
        return context.new_page()

    yield new
    for context in contexts:
        context.close()


def _libraries(loaded: list[tuple[str, int]]) -> set[str]:
    """The vendor libraries (assets/vendor/<name>/) among loaded URLs."""
    return {url.split(VENDOR, 1)[1].split("/")[0] for url, _ in loaded if VENDOR in url}


# Whether the page's `index`th `.mermaid` element is drawn (an SVG in its shadow root).
_DRAWN = """(index) => {
  const host = document.querySelectorAll(".mermaid")[index];
  return !!(host && host.shadowRoot && host.shadowRoot.querySelector("svg"));
}"""


def _draw_diagrams(page: Any) -> list[str]:
    """Scroll to each of the page's diagrams in turn (each is drawn when it comes near the
    screen; Mermaid loads with the first), wait until it is drawn; the problems."""
    from playwright.sync_api import Error as PlaywrightError

    blocks = page.locator(".mermaid")
    for index in range(blocks.count()):
        for _ in range(3):  # the block may be replaced by its drawing while being scrolled to
            try:
                blocks.nth(index).scroll_into_view_if_needed()
                break
            except PlaywrightError:
                continue
        try:
            page.wait_for_function(_DRAWN, arg=index)
        except PlaywrightError:  # a timeout: reported below
            pass
    return [p for p in page.evaluate(_MERMAID_PROBLEMS) if p]


@pytest.fixture(scope="module")
def visits(
    site: Site,
    base_url: str,
    new_page: Callable[..., Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> list[Visit]:
    """Every sitemap page, loaded once: requests, weight, libraries, errors, diagrams, maths,
    glossary terms and axe-core's accessibility violations.

    Each page is opened with the browser cache off, so its weight counts everything it
    loads. The first Mermaid diagram found is also saved as ``mermaid.png`` in a tmp dir.
    """
    from playwright.sync_api import Error as PlaywrightError

    if not AXE.is_file():
        pytest.fail(f"axe-core is missing ({AXE}): run `bash .ci/setup`", pytrace=False)
    axe = AXE.read_text(encoding="utf-8")
    screenshot = tmp_path_factory.mktemp("screenshots") / "mermaid.png"
    page = new_page()  # one tab for all pages, as a reader browsing the site
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    page.set_viewport_size(LAPTOP)  # _measure_layout also looks at the phone width
    recorder = Recorder(page, base_url)
    result = []
    for url in site.page_urls:
        visit = recorder.visit = Visit(url or "/")
        result.append(visit)
        try:
            page.goto(base_url + url, wait_until="load")
        except PlaywrightError as error:
            visit.page_errors.append(f"navigation failed: {error}")
            continue
        page.wait_for_load_state("networkidle")  # late requests count for this page too
        loaded = page.evaluate(_LOADED)
        visit.weight = sum(size for _, size in loaded)
        visit.math = page.locator(".arithmatex").count()
        if visit.math:
            visit.unrendered_math = page.evaluate(_UNRENDERED_MATH)
        visit.abbreviations = page.locator("abbr[title]").count()
        visit.diagrams = page.locator(".mermaid").count()
        if visit.diagrams:
            visit.diagram_problems = _draw_diagrams(page)
            if not visit.diagram_problems and not screenshot.exists():
                page.locator(".mermaid").first.screenshot(path=screenshot)
        _measure_layout(page, visit)
        page.wait_for_load_state("networkidle")  # late requests count for this page too
        loaded = page.evaluate(_LOADED)
        visit.libraries = _libraries(loaded)
        # axe judges the page at rest: after the scroll back to the top, Material fades the
        # header tabs back in (a transition, during which their text is pale), and a11y.js
        # re-checks what scrolls 200 ms after the phone-width resize.
        page.wait_for_timeout(300)
        page.evaluate(_ANIMATIONS_DONE)
        page.add_script_tag(content=axe)
        visit.violations = page.evaluate(_AXE_RUN)
    _write_report(result)
    return result


def _write_report(visits: list[Visit]) -> None:
    """Each page's weight, libraries and axe-core counts, in REPORT (and on stdout)."""
    lines = [f"{'page':48} {'KiB':>6}  {'libraries':16} {'axe: crit/ser/mod/min':>21}"]
    for v in visits:
        counts = [
            sum(x["nodes"] for x in v.violations if x["impact"] == impact)
            for impact in ("critical", "serious", "moderate", "minor")
        ]
        lines.append(
            f"{v.url:48} {v.weight / 1024:6.0f}  {','.join(sorted(v.libraries)) or '-':16} "
            f"{'/'.join(map(str, counts)):>21}"
        )
    text = "\n".join(lines) + "\n"
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text, encoding="utf-8")
    print(text)


def _problems(visits: list[Visit], attribute: str) -> str:
    """The pages whose `attribute` list is not empty, one line each ("" if none)."""
    return "".join(f"\n  {v.url}: {getattr(v, attribute)}" for v in visits if getattr(v, attribute))


@browser
def test_pages_request_only_the_site(visits: list[Visit]) -> None:
    """No page requests another host, and every request to the site succeeds."""
    foreign = _problems(visits, "foreign_requests")
    failed = _problems(visits, "failed_requests")
    assert not foreign + failed, (
        f"requests to another host:{foreign}\nfailed requests to the site:{failed}"
    )


@browser
def test_pages_log_no_errors(visits: list[Visit]) -> None:
    """No page logs a console error or throws an uncaught exception."""
    assert not (found := _problems(visits, "console_errors")), f"console errors:{found}"
    assert not (found := _problems(visits, "page_errors")), f"uncaught page errors:{found}"


@browser
def test_mermaid_diagrams_render(visits: list[Visit]) -> None:
    """Every Mermaid diagram on every page is drawn as a non-empty SVG."""
    assert sum(v.diagrams for v in visits) > 0, "no page has a Mermaid diagram to check"
    assert not (found := _problems(visits, "diagram_problems")), (
        f"Mermaid diagrams not drawn:{found}"
    )


@browser
def test_math_renders_with_katex(visits: list[Visit]) -> None:
    """Every formula (``.arithmatex``) on every page was typeset by KaTeX at build time."""
    assert sum(v.math for v in visits) > 0, "no page has a formula to check"
    assert not (found := _problems(visits, "unrendered_math")), (
        f"formulas KaTeX did not render:{found}"
    )


@browser
def test_pages_load_only_the_libraries_they_use(visits: list[Visit]) -> None:
    """Mermaid only where a diagram is, KaTeX (stylesheet and fonts) only where maths is.

    No page runs KaTeX's JavaScript (the maths is typeset at build time), and a page
    with neither diagrams nor maths weighs at most PLAIN_PAGE_KIB. Each page's weight,
    libraries and axe-core counts are written to REPORT.
    """
    unused = "".join(
        f"\n  {v.url}: loads {sorted(v.libraries - v.uses)}" for v in visits if v.libraries - v.uses
    )
    assert not unused, f"pages that load a library they do not use:{unused}"
    missing = "".join(
        f"\n  {v.url}: lacks {sorted(v.uses - v.libraries)}"
        for v in visits
        if not v.page_errors and v.uses - v.libraries
    )
    assert not missing, f"pages that use a library they did not load:{missing}"
    heavy = "".join(
        f"\n  {v.url}: {v.weight / 1024:.0f} KiB"
        for v in visits
        if not v.uses and v.weight > PLAIN_PAGE_KIB * 1024
    )
    assert not heavy, f"pages without diagrams or maths above {PLAIN_PAGE_KIB} KiB:{heavy}"


@browser
def test_pages_have_no_serious_accessibility_violation(visits: list[Visit]) -> None:
    """axe-core (pinned in .ci/js, injected from its local file) finds nothing critical or
    serious on any page."""
    found = "".join(
        f"\n  {v.url}:" + "".join(f"\n    {line}" for line in v.serious())
        for v in visits
        if v.serious()
    )
    assert not found, f"axe-core's critical and serious violations:{found}"


# The text colour of the first diagram's first label, of the first formula and of the text.
_COLOURS = """() => {
  const host = document.querySelector(".mermaid");
  const label = host.shadowRoot.querySelector(".nodeLabel, text");
  const style = getComputedStyle(label);
  return {
    label: label instanceof SVGElement ? style.fill : style.color,
    math: getComputedStyle(document.querySelector(".katex")).color,
    text: getComputedStyle(document.querySelector("article")).color,
    scheme: document.body.getAttribute("data-md-color-scheme"),
  };
}"""


def _luminance(colour: str) -> float:
    """Relative luminance (0 black .. 1 white) of a CSS ``rgb(...)``/``rgba(...)`` colour."""
    r, g, b = (int(x) / 255 for x in re.findall(r"[\d.]+", colour)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@browser
def test_diagrams_and_maths_follow_the_palette(base_url: str, new_page: Callable[..., Any]) -> None:
    """In the light and the dark palette, diagrams are drawn and formulas typeset, in text
    colours that read on that palette's background."""
    url = "foundations/backpropagation/"
    for scheme, expected in (("light", "default"), ("dark", "slate")):
        page = new_page(color_scheme=scheme)
        page.goto(base_url + url)
        problems = _draw_diagrams(page)
        assert not problems, f"{url} in the {scheme} palette: {problems}"
        assert not page.evaluate(_UNRENDERED_MATH), f"{url} in the {scheme} palette"
        colours = page.evaluate(_COLOURS)
        assert colours["scheme"] == expected, colours
        assert colours["math"] == colours["text"], f"{scheme}: formulas not in text colour"
        dark_text = scheme == "light"
        for what in ("label", "math"):
            assert (_luminance(colours[what]) < 0.5) == dark_text, f"{scheme}: {what} {colours}"


@browser
def test_cheatsheet_prints_without_navigation(
    base_url: str, new_page: Callable[..., Any], tmp_path: Path
) -> None:
    """A cheatsheet printed to PDF by Chromium: its content only, every table on one sheet."""
    from pypdf import PdfReader

    page = new_page()
    page.goto(base_url + PRINTED_PAGE)
    # Texts of the site's navigation and of each table's first and last plain cell.
    chrome = page.evaluate(
        """() => [...document.querySelectorAll(
             ".md-header__topic, .md-tabs__link, .md-nav__link, .md-footer__title")]
           .map((el) => el.textContent.trim()).filter(Boolean)"""
    )
    article = page.locator("article").inner_text()
    tables = page.evaluate(
        """() => [...document.querySelectorAll("article table")].map((table) => {
             const cells = [...table.querySelectorAll("th, td")]
               .filter((cell) => !cell.querySelector(".katex") && cell.textContent.trim())
               .map((cell) => cell.textContent.trim());
             return [cells[0], cells[cells.length - 1]];
           })"""
    )
    assert tables, f"{PRINTED_PAGE} has no table to check"
    path = tmp_path / "cheatsheet.pdf"
    page.pdf(path=path, format="A4")
    sheets = [_squash(sheet.extract_text()) for sheet in PdfReader(path).pages]
    text = "".join(sheets)

    shown = [label for label in set(chrome) if _squash(label) not in _squash(article)]
    printed = [label for label in shown if _squash(label) in text]
    assert not printed, f"the printed {PRINTED_PAGE} shows the site's navigation: {printed}"
    for first, last in tables:
        on = [i for i, sheet in enumerate(sheets) if _squash(first) in sheet]
        assert on, f"the table starting {first!r} is not in the PDF"
        assert _squash(last) in sheets[on[0]], (
            f"the table from {first!r} to {last!r} is split across printed pages"
        )


def _squash(text: str) -> str:
    """Text without whitespace, for comparing what the page shows with the PDF's text."""
    return re.sub(r"\s+", "", text)


@browser
def test_glossary_tooltips(
    visits: list[Visit], base_url: str, new_page: Callable[..., Any]
) -> None:
    """Every page has glossary tooltips (``abbr[title]``), and hovering one shows it.

    The tooltips come from ``dlguide/glossary/terms.toml`` through
    ``docs/overrides/hooks/glossary.py``: Markdown pages and notebook pages get them in
    different ways, so the hover is tried on one page of each kind. The API reference may
    have none: its docstrings mention few terms, mostly in tables (which get no tooltips).
    """
    api = _api_reference_urls()
    assert "reference/datasets/" in api
    without = [v.url for v in visits if not v.abbreviations and v.url not in api]
    assert not without, f"pages without a glossary tooltip (abbr[title]): {without}"
    notebooks = [v for v in visits if v.url.startswith("projects/")]
    for visit in [visits[0], *notebooks[:1]]:
        page = new_page()
        page.goto(base_url + visit.url.lstrip("/"))
        term = page.locator("article abbr[title]").first
        title = term.get_attribute("title") or ""
        assert re.fullmatch(r"[^:]+: \S.*", title), f"{visit.url}: bad tooltip title {title!r}"
        term.scroll_into_view_if_needed()
        term.hover()
        tooltip = page.locator(".md-tooltip2--active")
        tooltip.wait_for(state="visible")
        assert title.strip() in tooltip.inner_text(), visit.url


def _api_reference_urls() -> set[str]:
    """The URLs of the pages in the nav's "API reference" section."""
    from mkdocs.config import load_config

    def pages(nav: Any, inside: bool) -> Iterator[str]:
        if isinstance(nav, str):
            if inside:
                yield nav
        elif isinstance(nav, list):
            for item in nav:
                yield from pages(item, inside)
        elif isinstance(nav, dict):
            for title, value in nav.items():
                yield from pages(value, inside or title == "API reference")

    nav = load_config(str(REPO / "mkdocs.yml"))["nav"]
    return {re.sub(r"(?:index)?\.md$", "", p).rstrip("/") + "/" for p in pages(nav, False)}


@browser
def test_search_finds_a_known_term(site: Site, base_url: str, new_page: Callable[..., Any]) -> None:
    """Typing a word from the guide into the search box lists matching pages."""
    index = (site.root / "search" / "search_index.json").read_text(encoding="utf-8")
    assert SEARCH_TERM.lower() in index.lower(), (
        f"pick a SEARCH_TERM that the site contains, not {SEARCH_TERM!r}"
    )
    page = new_page()
    page.goto(base_url)
    header_button = page.locator('label.md-header__button[for="__search"]')
    if header_button.is_visible():  # narrow layout: the search box opens from a button
        header_button.click()
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(SEARCH_TERM, delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible")
    assert SEARCH_TERM.lower() in " ".join(results.all_inner_texts()).lower()


@browser
def test_palette_toggle_switches_scheme(base_url: str, new_page: Callable[..., Any]) -> None:
    """The header's palette toggle cycles to the dark (slate) scheme and back to default."""
    page = new_page()
    page.goto(base_url)
    scheme = lambda: page.evaluate('document.body.getAttribute("data-md-color-scheme")')  # noqa: E731
    toggle = page.locator('label.md-header__button[for^="__palette_"]:visible')
    seen = [scheme()]
    assert seen[0] == "default", f"the page opens in scheme {seen[0]!r}"
    for _ in range(page.locator('input[name="__palette"]').count()):
        toggle.first.click()
        seen.append(scheme())
    assert "slate" in seen, f"the toggle never switched to slate: {seen}"
    assert seen[-1] == "default", f"a full cycle of the toggle does not come back: {seen}"


@browser
def test_copy_button_copies_plain_code(base_url: str, new_page: Callable[..., Any]) -> None:
    """Copying the home page's doctest yields code only: no prompts, no printed output."""
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(base_url)
    button = page.locator("pre", has_text=">>> import keras").locator("[data-clipboard-target]")
    assert button.count() == 1, "the home page's doctest block has no copy button"
    target = button.get_attribute("data-clipboard-target")
    # What Material's copy routine does with the button's target (see `data-md-copying`
    # in its bundle): extra.css hides prompts (.gp) and output (.go) while it is set.
    copied = page.evaluate(
        """(selector) => {
          const el = document.querySelector(selector);
          el.setAttribute("data-md-copying", "");
          const holder = el.closest("[data-copy]");
          const text = holder ? holder.getAttribute("data-copy") : el.innerText;
          el.removeAttribute("data-md-copying");
          return text.trimEnd();
        }""",
        target,
    )
    lines = copied.splitlines()
    assert "import keras" in lines, f"the copied code lost its statements:\n{copied}"
    prompts = [line for line in lines if line.startswith((">>>", "..."))]
    assert not prompts, f"the copied code keeps doctest prompts:\n{copied}"
    outputs = [line for line in lines if line.startswith("test accuracy:")]
    assert not outputs, f"the copied code keeps printed output:\n{copied}"

    # And the real button puts exactly that on the clipboard.
    button.click()
    page.wait_for_function("() => navigator.clipboard.readText().then((t) => t.length > 0)")
    assert page.evaluate("navigator.clipboard.readText()") == copied


@browser
def test_completion_checklist_keeps_ticks_in_the_browser(
    site: Site, base_url: str, new_page: Callable[..., Any]
) -> None:
    """The roadmap's checklist: ticks survive a reload and instant navigation; reset clears."""
    page = new_page()
    # Material's instant navigation only takes over links within site_url, so open the site
    # there: requests to site_url are answered by the local server.
    site_url = site.site_url or base_url
    page.route(
        f"{site_url}**",
        lambda route: route.fulfill(
            response=route.fetch(url=base_url + route.request.url[len(site_url) :])
        ),
    )
    page.goto(site_url + "roadmap/")
    checklist = page.locator(".dl-checklist")
    boxes = checklist.locator(".task-list-item input[type=checkbox]")
    progress = checklist.locator(".dl-checklist__progress")
    total = boxes.count()
    assert total >= 12, f"the checklist has only {total} items"

    def shows(done: int) -> None:
        text = f"{done} of {total} done"
        page.wait_for_function(
            "(text) => document.querySelector('.dl-checklist__progress')?.textContent === text",
            arg=text,
        )
        assert progress.inner_text() == text

    shows(0)
    assert not any(boxes.nth(i).is_disabled() for i in range(total)), "boxes still disabled"
    # The input is hidden under the drawn box (.task-list-indicator), which is what a reader
    # clicks: force=True clicks at the input's position without asking for it to be on top.
    boxes.nth(0).check(force=True)  # its text holds KaTeX math, which must not change its key
    boxes.nth(4).check(force=True)
    shows(2)

    page.reload()
    shows(2)
    ticked = [i for i in range(total) if boxes.nth(i).is_checked()]
    assert ticked == [0, 4], f"after a reload the ticked items are {ticked}"

    # Instant navigation swaps the page without loading it: the script must run again.
    page.wait_for_load_state("networkidle")
    page.evaluate("window.dlguideSameDocument = true")
    checklist.locator("a[href]").first.click()
    page.wait_for_function("() => !location.pathname.endsWith('/roadmap/')")
    page.go_back()
    shows(2)
    assert page.evaluate("window.dlguideSameDocument === true"), "the link reloaded the page"
    assert boxes.nth(4).is_checked() and not boxes.nth(4).is_disabled()

    checklist.locator("button.dl-checklist__reset").click()
    shows(0)
    page.reload()
    shows(0)
    assert not any(boxes.nth(i).is_checked() for i in range(total))


# -------------------------------------------------------------------------- layout
# What a reader sees on a laptop (1400x900) and a phone (390x844): nothing sticks out of the
# column without a scroll box, code and diagrams fit at laptop width or scroll, diagram labels
# are big enough to read and stand out from their background in both palettes, and figures
# are not shrunk. `_measure_layout` runs inside the `visits` loop (one load per page); the
# tests below read what it recorded. Page-specific offenders that are known and left for a
# page to fix are allowed in LAPTOP_SCROLLERS and SHRUNK_FIGURES, with their reason; a page
# may have fewer than listed, never more.

LAPTOP = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
MIN_LABEL_PX = 9.0  # rendered size of a diagram label at laptop width
MIN_CONTRAST = 4.5  # WCAG AA for text, diagram labels against what is drawn under them
MAX_SHRINK = 0.85  # a figure shown at less than this fraction of its width is shrunk

# Code blocks ("code"), diagrams ("diagram") and display maths ("math") that scroll sideways
# at laptop width, per page: long code lines and long left-to-right Mermaid chains, for the
# pass over the page bodies (issue 19) to fix. Reshape the page, then lower its numbers.
LAPTOP_SCROLLERS: dict[str, dict[str, int]] = {
    # Learning pages: code lines over ~77 characters, left-to-right diagram chains, long
    # equations.
    "architectures/deep-rnns/": {"code": 2},
    "architectures/resnet/": {"code": 1},
    # Reference pages: docstring examples that show an error message (one long line), the
    # service's JSON replies; output of the package wider than the column (the CLI's dataset
    # table, advice and glossary text wrapped at 88 characters); the which-architecture
    # decision tree, five branches wide, whose leaves spell out the builder calls that
    # tests/test_advise.py reads.
    "reference/advise/": {"code": 4},
    "reference/cli/": {"code": 3},
    "reference/exercises/": {"code": 2},
    "reference/glossary-api/": {"code": 2},
    "reference/metrics/": {"code": 4},
    "reference/models/": {"code": 8},
    "reference/plots/": {"code": 7},
    "reference/scratch/": {"code": 13},
    "reference/text/": {"code": 1},
    "reference/vision/": {"code": 3},
    "reference/which-architecture/": {"code": 2, "diagram": 1},
    # The tracks added after this list (transformers, deployment, generative models,
    # hot topics): code lines over ~77 characters and wide diagrams, for the same page pass.
    "architectures/bert-gpt/": {"diagram": 1},
    "architectures/self-attention/": {"math": 1},
    "architectures/transformer/": {"diagram": 1},
    "generative/gan/": {"code": 1},
    "generative/latent-diffusion/": {"diagram": 1},
    "generative/vae/": {"math": 1},
    "reference/deploy/": {"code": 4},
}

# Figures drawn wider than the column (their fonts end up smaller than 9 pt), per page.
SHRUNK_FIGURES: dict[str, int] = {}


@dataclass
class Layout:
    """What one page looks like at both widths (see `_measure_layout`)."""

    overflow: list[str] = field(default_factory=list)  # "laptop: ..." / "phone: ..."
    laptop_scrollers: list[str] = field(default_factory=list)  # "code: ...", "diagram: ..."
    small_labels: list[str] = field(default_factory=list)
    low_contrast: list[str] = field(default_factory=list)  # "light: ..." / "dark: ..."
    shrunk_figures: list[str] = field(default_factory=list)
    label_sizes: list[float] = field(default_factory=list)  # smallest label of each diagram


# Elements that stick out of the main column, not inside a box that scrolls or clips them; and
# the boxes that scroll sideways (`kind: what (content px in box px)`).
_OVERFLOW = """() => {
  const main = document.querySelector(".md-content");
  if (!main) return { offenders: ["the page has no .md-content"], scrollers: [] };
  const column = main.getBoundingClientRect();
  const viewport = document.documentElement.clientWidth;
  const describe = (el) => {
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + [...el.classList].slice(0, 2).map((c) => "." + c).join("");
    const text = (el.textContent || el.getAttribute("alt") || "").trim().replace(/\\s+/g, " ");
    return `${name} "${text.slice(0, 50)}"`;
  };
  const outside = (r) => r.left < column.left - 1 || r.right > column.right + 1;
  // Inside a box that scrolls (or clips) and itself fits the column.
  const contained = (el) => {
    for (let a = el.parentElement; a && a !== main; a = a.parentElement) {
      const clipping = getComputedStyle(a).overflowX !== "visible";
      if (clipping && !outside(a.getBoundingClientRect())) return true;
    }
    return false;
  };
  const offenders = [];
  const width = document.documentElement.scrollWidth;
  if (width > viewport + 1) offenders.push(`the page scrolls sideways (${width} px in ${viewport})`);
  const reported = [];
  const candidates = main.querySelectorAll(
    "article > *, article :is(p, li, dt, dd, table, pre, img, svg, .mermaid, .arithmatex,"
    + " .katex-display, .highlight, .jp-Cell, .jp-OutputArea-output, figure, .admonition,"
    + " details, .tabbed-set, h1, h2, h3, h4, blockquote, code, a, video, iframe)");
  for (const el of candidates) {
    if (reported.some((r) => r.contains(el))) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || !outside(r) || contained(el)) continue;
    reported.push(el);
    offenders.push(`${describe(el)}: ${Math.round(r.left)}-${Math.round(r.right)} px, `
      + `column ${Math.round(column.left)}-${Math.round(column.right)} px`);
  }
  const kinds = [["code", "pre > code"], ["diagram", ".mermaid"],
    ["math", "div.arithmatex, .katex-display"], ["table", ".md-typeset__scrollwrap"],
    ["notebook code", ".jp-InputArea-editor pre, .jp-InputArea-editor .highlight"]];
  const scrollers = [];
  for (const [kind, selector] of kinds) {
    for (const el of main.querySelectorAll(selector)) {
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible") {
        scrollers.push(`${kind}: ${describe(el)} (${el.scrollWidth} px in ${el.clientWidth})`);
      }
    }
  }
  return { offenders, scrollers };
}"""

# For every drawn Mermaid diagram: its smallest label (font size times the SVG's scale), and
# the labels whose colour has too little contrast with what is drawn under them.
_DIAGRAM_TEXT = """(minContrast) => {
  const rgba = (css) => {
    const m = /rgba?\\(([^)]*)\\)/.exec(css || "");
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const luminance = ({ r, g, b }) => {
    const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (x, y) => {
    const [hi, lo] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (hi + 0.05) / (lo + 0.05);
  };
  const page = rgba(getComputedStyle(document.body).backgroundColor);
  const SHAPES = new Set(["rect", "path", "circle", "ellipse", "polygon"]);
  // The first colour drawn under `el` at (x, y): skip what lies above it (the page header),
  // then take the first filled shape or HTML background, in the diagram or around it.
  const background = (root, el, x, y) => {
    const stack = root.elementsFromPoint(x, y);
    const start = stack.indexOf(el);
    for (const under of start >= 0 ? stack.slice(start + 1) : stack) {
      if (el.contains(under) || under.contains(el) && !(under instanceof HTMLElement)) continue;
      const style = getComputedStyle(under);
      if (under instanceof SVGElement) {
        if (!SHAPES.has(under.tagName)) continue;
        const fill = rgba(style.fill);
        const alpha = fill ? fill.a * Number(style.fillOpacity) * Number(style.opacity) : 0;
        if (alpha > 0.05) return over({ ...fill, a: alpha }, page);
      } else {
        const color = rgba(style.backgroundColor);
        if (color && color.a > 0.05) return over(color, page);
      }
    }
    return page;
  };
  return [...document.querySelectorAll(".mermaid")].map((host, index) => {
    const root = host.shadowRoot;
    const svg = root && root.querySelector("svg");
    if (!svg) return null;
    const view = svg.viewBox && svg.viewBox.baseVal;
    const scale = view && view.width ? svg.getBoundingClientRect().width / view.width : 1;
    let smallest = Infinity, smallestText = "";
    const low = [];
    const labels = [...root.querySelectorAll("text, tspan, foreignObject *")].filter((el) =>
      [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim()));
    for (const el of labels) {
      const style = getComputedStyle(el);
      let box = el.getBoundingClientRect();
      if (!box.width || !box.height || style.visibility === "hidden") continue;
      const text = el.textContent.trim().replace(/\\s+/g, " ").slice(0, 40);
      const size = parseFloat(style.fontSize) * scale;
      if (size < smallest) [smallest, smallestText] = [size, text];
      el.scrollIntoView({ block: "center", inline: "center" });  // clear of the header
      box = el.getBoundingClientRect();
      const under = background(root, el, box.left + box.width / 2, box.top + box.height / 2);
      const ink = rgba(el instanceof SVGElement ? style.fill : style.color);
      if (!ink) continue;
      const ratio = contrast(over(ink, under), under);
      if (ratio < minContrast) low.push(`diagram ${index + 1} "${text}": ${ratio.toFixed(1)}:1`);
    }
    return { smallest, smallestText, low };
  }).filter(Boolean);
}"""

_FIGURES = """(maxShrink) => [...document.querySelectorAll(
    ".md-content img[src$='.png'], .md-content img[src^='data:image/png']")]
  .filter((img) => img.naturalWidth && img.getBoundingClientRect().width)
  .map((img) => [img, img.getBoundingClientRect().width / img.naturalWidth])
  .filter(([, ratio]) => ratio < maxShrink)
  .map(([img, ratio]) => `${(img.getAttribute("alt") || img.src.slice(-40)).slice(0, 50)}: `
    + `${img.naturalWidth} px shown at ${Math.round(ratio * img.naturalWidth)}`)"""


def _measure_layout(page: Any, visit: Visit) -> None:
    """Measure the page at laptop and phone width, diagrams in both palettes; restore it."""
    layout = visit.layout
    original = page.viewport_size
    try:
        if original != LAPTOP:
            page.set_viewport_size(LAPTOP)
        found = page.evaluate(_OVERFLOW)
        layout.overflow += [f"laptop: {o}" for o in found["offenders"]]
        layout.laptop_scrollers = found["scrollers"]
        layout.shrunk_figures = page.evaluate(_FIGURES, MAX_SHRINK)
        if visit.diagrams and not visit.diagram_problems:
            for scheme, name in (("default", "light"), ("slate", "dark")):
                page.evaluate(
                    "(s) => document.body.setAttribute('data-md-color-scheme', s)", scheme
                )
                diagrams = page.evaluate(_DIAGRAM_TEXT, MIN_CONTRAST)
                layout.low_contrast += [f"{name}: {low}" for d in diagrams for low in d["low"]]
                if name == "light":
                    layout.label_sizes = [round(d["smallest"], 1) for d in diagrams]
                    layout.small_labels = [
                        f"diagram {i + 1}: {d['smallest']:.1f} px ({d['smallestText']!r})"
                        for i, d in enumerate(diagrams)
                        if d["smallest"] < MIN_LABEL_PX
                    ]
            page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'default')")
        page.set_viewport_size(PHONE)
        layout.overflow += [f"phone: {o}" for o in page.evaluate(_OVERFLOW)["offenders"]]
    finally:
        page.set_viewport_size(original)
        page.evaluate("() => window.scrollTo(0, 0)")


def _layout_problems(visits: list[Visit], attribute: str) -> str:
    found = [(v.url, getattr(v.layout, attribute)) for v in visits]
    return "".join(f"\n  {url}: {items}" for url, items in found if items)


@browser
def test_nothing_sticks_out_of_the_column(visits: list[Visit]) -> None:
    """At 1400 and 390 px, every element fits the column or sits in a box that scrolls."""
    assert not (found := _layout_problems(visits, "overflow")), (
        f"elements wider than the column, outside any scroll box:{found}"
    )


@browser
def test_code_and_diagrams_fit_a_laptop(visits: list[Visit]) -> None:
    """At 1400 px no code block, diagram or formula scrolls sideways, but for LAPTOP_SCROLLERS."""
    new = []
    for visit in visits:
        counts: dict[str, int] = {}
        for item in visit.layout.laptop_scrollers:
            kind = item.split(":", 1)[0]
            counts[kind] = counts.get(kind, 0) + 1
        allowed = LAPTOP_SCROLLERS.get(visit.url, {})
        for kind, count in counts.items():
            if kind in {"code", "diagram", "math"} and count > allowed.get(kind, 0):
                items = [i for i in visit.layout.laptop_scrollers if i.startswith(kind)]
                new.append(
                    f"\n  {visit.url}: {count} {kind} (allowed {allowed.get(kind, 0)}): {items}"
                )
    assert not new, f"blocks that scroll sideways at 1400 px:{''.join(new)}"
    urls = {v.url for v in visits}
    stale = sorted(set(LAPTOP_SCROLLERS) - urls)
    assert not stale, f"LAPTOP_SCROLLERS lists pages the site does not have: {stale}"


@browser
def test_diagram_labels_are_readable_at_laptop_width(visits: list[Visit]) -> None:
    """Every Mermaid diagram's smallest label is drawn at least MIN_LABEL_PX high at 1400 px."""
    sizes = [s for v in visits for s in v.layout.label_sizes]
    assert sizes, "no diagram label was measured"
    assert not (found := _layout_problems(visits, "small_labels")), (
        f"diagram labels smaller than {MIN_LABEL_PX} px:{found}"
    )


@browser
def test_diagram_labels_stand_out_in_both_palettes(visits: list[Visit]) -> None:
    """Every Mermaid label contrasts with what is drawn under it, in light and in dark."""
    assert not (found := _layout_problems(visits, "low_contrast")), (
        f"diagram labels with contrast below {MIN_CONTRAST}:1:{found}"
    )


@browser
def test_figures_are_drawn_at_column_width(visits: list[Visit]) -> None:
    """No figure is shown much smaller than drawn (its text would shrink), but SHRUNK_FIGURES."""
    new = [
        f"\n  {v.url}: {v.layout.shrunk_figures}"
        for v in visits
        if len(v.layout.shrunk_figures) > SHRUNK_FIGURES.get(v.url, 0)
    ]
    assert not new, (
        f"figures shown at under {MAX_SHRINK:.0%} of their width at 1400 px:{''.join(new)}"
    )
