"""MkDocs hook: the glossary data (`dlguide/glossary/terms.toml`) on every page of the site.

- Tooltips. The first time a page mentions a glossary term (its name, abbreviation or
  an alias, in either case, singular or plural), the words are wrapped in
  `<abbr title="Term: short definition">`, which Material shows as a tooltip. Basic
  words a newcomer already knows (`tooltip = false` in the data: "model", "training")
  are never marked, and their text is not searched for other terms either. Markdown
  pages get this from a Markdown extension that works like `abbr` but marks only the
  first mention per page and never touches headings, links, code or math. Notebook
  pages, which nbconvert renders instead of Python-Markdown, get the same treatment
  from `abbreviate_html` on their HTML.
- The Glossary page. `reference/glossary.md` holds the placeholder
  `<!-- glossary: entries -->`, replaced at build time by one anchored entry per term,
  in alphabetical order, with links to the related entries and to the page that shows
  the term. The page can never drift from the data. Its table of contents lists the
  letters only (the entries would make the page heavier than the site allows).

Nothing is written to disk, so `mkdocs serve` does not loop; it watches the data file.
"""

from __future__ import annotations

import html
import logging
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from dlguide.glossary import _terms

log = logging.getLogger("mkdocs.hooks.glossary")

PLACEHOLDER = "<!-- glossary: entries -->"
GLOSSARY_PAGE = "reference/glossary.md"
DATA_FILE = Path(_terms.__file__).with_name("terms.toml")

# Elements whose text is never marked: code, links, headings, existing abbreviations.
_SKIP_TAGS = frozenset(
    "a abbr code pre kbd script style svg math textarea h1 h2 h3 h4 h5 h6 title table".split()
)
_SKIP_CLASSES = re.compile(
    r"\b(?:arithmatex|jp-OutputArea|clipboard-copy-txt|highlight|mermaid|headerlink|anchor-link)\b"
)


# --------------------------------------------------------------------------- how prose writes a term
# Site-only: the package itself needs none of this (`lookup` has its own, looser matching).


def is_cased(word: str) -> bool:
    """True for words whose case is part of them: "CNN", "ReLU", "AdamW", "TensorFlow"."""
    return any(c.isupper() for c in word[1:])


def spellings(form: str) -> set[str]:
    """The form with British and American spellings of "-ise"/"-isation"."""
    us = re.sub(r"(?<=[a-z])is(ation|ations|e|es|ed|ing|er|ers)\b", r"iz\1", form)
    uk = re.sub(r"(?<=[a-z])iz(ation|ations|e|es|ed|ing|er|ers)\b", r"is\1", form)
    return {form, us, uk}


def surface_forms(form: str) -> set[str]:
    """How prose writes a form: with its first letter in either case, singular and plural.

    Words such as "CNN" or "ReLU" keep their case; "Batch normalisation" is also
    found as "batch normalisation", "batch normalizations" and so on.
    """
    first, _, _ = form.partition(" ")
    bases = (
        {form}
        if is_cased(first)
        else {form, form[0].lower() + form[1:], form[0].upper() + form[1:]}
    )
    out = set()
    for base in bases:
        for spelt in spellings(base):
            head, sep, last = spelt.rpartition(" ")
            plurals = {last + "s"} if is_cased(last) else _terms._plurals(last)
            out |= {spelt} | {head + sep + plural for plural in plurals}
    return out


def tooltips(all_terms: Iterable[_terms.Term] | None = None) -> dict[str, str]:
    """Map every way the prose writes a glossary term to its tooltip text.

    The keys are exact, case-sensitive phrases (Python-Markdown's `abbr`
    extension matches them as whole words); the values read "Name: short".
    """
    result: dict[str, str] = {}
    owner: dict[str, str] = {}
    for term in _terms.terms() if all_terms is None else all_terms:
        title = f"{term.name}: {term.short}"
        for form in term.names:
            for surface in surface_forms(form):
                if owner.setdefault(surface, term.name) != term.name:
                    raise ValueError(
                        f"The tooltip form {surface!r} belongs to both "
                        f"{owner[surface]!r} and {term.name!r}"
                    )
                result[surface] = title
    return result


def mentions(text: str, all_terms: Iterable[_terms.Term] | None = None) -> list[_terms.Term]:
    """The terms whose name, alias, abbreviation or lookup name occurs in `text`, as words."""
    all_terms = _terms.terms() if all_terms is None else list(all_terms)
    words = _terms._normalise(text).split()
    variants = [_terms._singulars(w) | {w} for w in words]
    found = []
    for term in all_terms:
        for form in (*term.names, *term.lookup_only):
            target = _terms._normalise(form).split()
            n = len(target)
            if n and any(
                all(target[j] in variants[i + j] for j in range(n))
                for i in range(len(words) - n + 1)
            ):
                found.append(term)
                break
    return found


def load_terms() -> tuple[_terms.Term, ...]:
    """The glossary, read afresh from the data file (so `mkdocs serve` sees edits)."""
    return _terms._parse(DATA_FILE.read_text(encoding="utf-8"), str(DATA_FILE))


class Marker:
    """Marks the first mention of each glossary term in a text, as `<abbr>` elements.

    Terms with `tooltip = false` are matched (so that "training set" is not read as a
    mention of a shorter term inside it) but never marked.
    """

    def __init__(self, all_terms: Iterable[_terms.Term]) -> None:
        all_terms = list(all_terms)
        self.titles = tooltips(all_terms)
        self.quiet = {term.name for term in all_terms if not term.tooltip}
        self.owner = {}
        for term in all_terms:
            for form in term.names:
                for surface in surface_forms(form):
                    self.owner[surface] = term.name
        forms = sorted(self.titles, key=len, reverse=True)
        self.regex = re.compile(r"\b(?:" + "|".join(map(re.escape, forms)) + r")\b")

    def matches(self, text: str, seen: set[str]) -> list[re.Match[str]]:
        """The matches in `text` of terms not in `seen` (term names); adds them to it."""
        found = []
        for match in self.regex.finditer(text):
            owner = self.owner[match[0]]
            if owner not in seen and owner not in self.quiet:
                seen.add(owner)
                found.append(match)
        return found


# --------------------------------------------------------------------------- Markdown pages


class _TooltipTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, extension: GlossaryTooltips) -> None:
        super().__init__(md)
        self.extension = extension
        self.marker = extension.marker

    @property
    def seen(self) -> set[str]:
        return self.extension.seen

    def _split(self, text: str | None) -> tuple[str | None, list[etree.Element]]:
        if not text or isinstance(text, AtomicString):
            return text, []
        matches = self.marker.matches(text, self.seen)
        if not matches:
            return text, []
        head, elements, last = text[: matches[0].start()], [], 0
        for match in matches:
            if elements:
                elements[-1].tail = text[last : match.start()]
            element = etree.Element("abbr", {"title": self.marker.titles[match[0]]})
            element.text = AtomicString(match[0])
            elements.append(element)
            last = match.end()
        elements[-1].tail = text[last:]
        return head, elements

    def _skip(self, element: etree.Element) -> bool:
        return element.tag in _SKIP_TAGS or bool(_SKIP_CLASSES.search(element.get("class", "")))

    def _walk(self, element: etree.Element) -> None:
        if self._skip(element):
            return
        element.text, new = self._split(element.text)
        for i, abbr in enumerate(new):
            element.insert(i, abbr)
        for child in list(element)[len(new) :]:
            self._walk(child)
            child.tail, new = self._split(child.tail)
            index = list(element).index(child)
            for i, abbr in enumerate(new, start=index + 1):
                element.insert(i, abbr)

    def run(self, root: etree.Element) -> None:
        self._walk(root)


class _ConversionStart(Preprocessor):
    """A new page starts a new set of first mentions; a docstring inside it does not."""

    def __init__(self, md: markdown.Markdown, extension: GlossaryTooltips) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        if self.extension.depth == 0:
            self.extension.seen = set()
        self.extension.depth += 1
        return lines


class _ConversionEnd(Postprocessor):
    def __init__(self, md: markdown.Markdown, extension: GlossaryTooltips) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        self.extension.depth = max(0, self.extension.depth - 1)
        return text


class GlossaryTooltips(Extension):
    """Python-Markdown extension: the first mention of each glossary term gets a tooltip.

    First per page: on an API page, mkdocstrings converts each docstring with its own
    Markdown instance (and this extension) while the page itself is being converted; the
    terms seen are shared by the nested conversions and reset only when a page starts.
    """

    def __init__(self, all_terms: Iterable[_terms.Term], **kwargs: Any) -> None:
        self.marker = Marker(all_terms)  # compiled once
        self.seen: set[str] = set()  # term names marked on the current page
        self.depth = 0  # conversions under way: the page's, and its docstrings' inside it
        super().__init__(**kwargs)

    def reset(self) -> None:
        self.seen, self.depth = set(), 0

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.register(_ConversionStart(md, self), "dlguide_glossary_start", 1000)
        # After `abbr` (7): a page's own *[ABBR] definitions win. Before `toc` (5).
        md.treeprocessors.register(_TooltipTreeprocessor(md, self), "dlguide_glossary", 6)
        md.postprocessors.register(_ConversionEnd(md, self), "dlguide_glossary_end", 0)


# --------------------------------------------------------------------------- notebook pages

_TOKENS = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)([^>]*?)(/?)>", re.S)
_CLASS = re.compile(r"""\bclass\s*=\s*["']([^"']*)["']""")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+?\$|\\\(.*?\\\)|\\\[.*?\\\]", re.S)


def abbreviate_html(text: str, all_terms: Iterable[_terms.Term]) -> str:
    """Wrap the first mention of each glossary term in `text` (HTML) in an `<abbr>`.

    Text inside code, links, headings, math (`$...$`, `\\(...\\)`) and notebook
    input and output areas is left alone.
    """
    marker, seen = Marker(all_terms), set()
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (tag, skipped)
    for token in _TOKENS.split(text):
        tag = _TAG.fullmatch(token) if token.startswith("<") else None
        if token.startswith("<!--"):
            out.append(token)
        elif tag:
            out.append(token)
            closing, name = tag[1], tag[2].lower()
            if closing:
                while stack and stack.pop()[0] != name:
                    pass
            elif not tag[4] and name not in _VOID:
                classes = _CLASS.search(tag[3])
                skipped = (
                    (stack and stack[-1][1])
                    or name in _SKIP_TAGS
                    or bool(classes and _SKIP_CLASSES.search(classes[1]))
                )
                stack.append((name, bool(skipped)))
        elif stack and stack[-1][1]:
            out.append(token)
        else:
            out.append(_abbreviate_text(token, marker, seen))
    return "".join(out)


def _abbreviate_text(text: str, marker: Marker, seen: set[str]) -> str:
    pieces, last = [], 0
    for math in [*_MATH.finditer(text), None]:
        end = math.start() if math else len(text)
        prose, done = text[last:end], 0
        for match in marker.matches(prose, seen):
            title = html.escape(marker.titles[match[0]], quote=True)
            pieces += [prose[done : match.start()], f'<abbr title="{title}">{match[0]}</abbr>']
            done = match.end()
        pieces.append(prose[done:])
        if math:
            pieces.append(math[0])
            last = math.end()
    return "".join(pieces)


# --------------------------------------------------------------------------- the Glossary page


def _markdown(config: MkDocsConfig) -> markdown.Markdown:
    extensions = [e for e in config.markdown_extensions if not isinstance(e, GlossaryTooltips)]
    return markdown.Markdown(extensions=extensions, extension_configs=config.mdx_configs)


def _flatten(tokens: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for token in tokens:
        yield token
        yield from _flatten(token["children"])


_OUTLINES: dict[tuple[str, str], tuple[str, dict[str, str], tuple[tuple[int, str, str], ...]]] = {}


def page_outline(
    config: MkDocsConfig, path: str
) -> tuple[str, dict[str, str], tuple[tuple[int, str, str], ...]]:
    """The title, the anchor ids (id -> heading text) and the headings of a docs page.

    The ids are those Python-Markdown gives the page with the site's own Markdown
    extensions (`toc` slugs, `{#id}` attributes, raw `id="..."` attributes); the
    headings are `(level, text, id)`. A notebook (`.py`) page only has a title
    here: nbconvert renders its headings.
    """
    key = (str(config.docs_dir), path)
    if key in _OUTLINES:
        return _OUTLINES[key]
    source = Path(config.docs_dir, path)
    if not source.is_file():  # MkDocs reports the broken link (and fails a strict build)
        return source.stem, {}, ()
    text = source.read_text(encoding="utf-8")
    if source.suffix == ".py":  # a jupytext notebook: its title is the first "# # " line
        title = re.search(r"^# # (.+)$", text, re.M)
        outline = (title[1].strip() if title else source.stem), {}, ()
    else:
        md = _markdown(config)
        converted = md.convert(text)
        tokens = list(_flatten(md.toc_tokens))
        headings = tuple((t["level"], html.unescape(t["name"]), t["id"]) for t in tokens)
        ids = {id_: name for _, name, id_ in headings}
        for other in re.findall(r"""\bid=["']([^"']+)["']""", converted):
            ids.setdefault(other, other)
        h1 = [name for level, name, _ in headings if level == 1]
        outline = (h1[0] if h1 else source.stem), ids, headings
    _OUTLINES[key] = outline
    return outline


def _link(config: MkDocsConfig, page: str, *, base: str) -> str | None:
    """A Markdown link to `page` titled "Page › Section", or None if the page is missing.

    A missing page or anchor (a page still being written) degrades to no link or a link
    to the page, so the site still builds; `tests/test_glossary.py` fails on either.
    """
    path, _, anchor = page.partition("#")
    if not Path(config.docs_dir, path).is_file():
        log.info("glossary: %s does not exist (yet); entry shown without a link", path)
        return None
    title, ids, _ = page_outline(config, path)
    if anchor and anchor not in ids:
        log.info("glossary: %s has no anchor #%s; linking the page", path, anchor)
        anchor = ""
    text = f"{title} › {ids[anchor]}" if anchor else title
    return f"[{text}]({base}{path}{'#' + anchor if anchor else ''})"


def render_entries(config: MkDocsConfig, all_terms: Iterable[_terms.Term]) -> str:
    """The Markdown of the Glossary page's entries: letter sections, one anchored entry each."""
    all_terms = sorted(all_terms, key=lambda t: _terms._normalise(t.name))
    by_name = {t.name: t for t in all_terms}
    base = "../" * GLOSSARY_PAGE.count("/")
    letters: dict[str, list[_terms.Term]] = {}
    for term in all_terms:
        letter = term.name[0].upper()
        letters.setdefault(letter if letter.isalpha() else "#", []).append(term)
    lines = [" · ".join(f"[{letter}](#{_terms._slugify(letter)})" for letter in letters), ""]
    for letter, entries in letters.items():
        lines += [f"## {letter}", ""]
        for term in entries:
            title = f"{term.name} ({term.abbreviation})" if term.abbreviation else term.name
            lines += [
                f"### {title} {{ #{term.anchor} }}",
                "",
                f"**{term.short}**",
                "",
                term.long,
                "",
            ]
            facts = []
            if term.aliases:
                facts.append("*Also called:* " + ", ".join(term.aliases) + ".")
            if term.related:
                links = ", ".join(f"[{name}](#{by_name[name].anchor})" for name in term.related)
                facts.append(f"*Related:* {links}.")
            link = _link(config, term.page, base=base)
            if link:
                facts.append(f"*In the guide:* {link}.")
            lines += ["<br>\n".join(facts), ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- MkDocs events


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _OUTLINES.clear()
    config.markdown_extensions.append(GlossaryTooltips(load_terms()))
    config.watch.append(str(DATA_FILE))
    return config


def on_page_markdown(markdown_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    for extension in config.markdown_extensions:
        if isinstance(extension, GlossaryTooltips):
            extension.reset()  # whatever an earlier page left, this page starts afresh
    if page.file.src_uri != GLOSSARY_PAGE:
        return markdown_text
    if PLACEHOLDER not in markdown_text:
        raise ValueError(f"{GLOSSARY_PAGE} lacks the placeholder {PLACEHOLDER}")
    return markdown_text.replace(PLACEHOLDER, render_entries(config, load_terms()))


def on_page_content(content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri == GLOSSARY_PAGE:
        # The page's table of contents (shown twice: in the sidebar on wide screens, in the
        # navigation drawer on phones) lists the letters, not the entries under them: every
        # term there weighed ~100 KiB more on this page, and the row of letters at the top,
        # the search and the browser's find reach an entry as fast.
        for item in page.toc:
            for letter in item.children:
                letter.children = []
    if page.file.src_uri.endswith((".py", ".ipynb")):
        return abbreviate_html(content, load_terms())
    return content
