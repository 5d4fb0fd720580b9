"""The glossary: loading `terms.toml` and looking terms up.

`terms.toml` is the one source of truth. The Glossary page, the hover tooltips on
every page of the site, `lookup` and `dlguide explain` all read it through this
module. What only the site needs (which spellings of a term the prose uses, the
tooltips, the Glossary page) lives with the site, in `docs/overrides/hooks/glossary.py`.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

# Set to the address of another copy of the site (a mirror, a local `mkdocs serve`) to make
# `Term.url` and `dlguide explain` link there instead of the package's Documentation URL.
SITE_URL_VARIABLE = "DLGUIDE_SITE_URL"


def _documentation_url() -> str:
    """The `Documentation` URL of the installed package's metadata (pyproject's [project.urls])."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("dlguide").get_all("Project-URL") or []
    except PackageNotFoundError:  # pragma: no cover - dlguide run from a bare source tree
        return ""
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "documentation":
            return url.strip()
    return ""


def _site_url() -> str:
    """The address of the guide's site, ending in "/": `$DLGUIDE_SITE_URL`, else the
    `Documentation` URL of the package's metadata; "" if neither is known."""
    url = os.environ.get(SITE_URL_VARIABLE, "").strip() or _documentation_url()
    return url if not url or url.endswith("/") else url + "/"


_FIELDS = {
    "name",
    "short",
    "long",
    "related",
    "aliases",
    "lookup_only",
    "abbreviation",
    "page",
    "tooltip",
}


@dataclass(frozen=True)
class Term:
    """One glossary entry: a term, its definitions and where the guide shows it.

    Attributes:
        name: The term as the guide writes it, e.g. `"Batch normalisation"`.
        short: A one-sentence definition (the hover tooltip on the site).
        long: A longer explanation, a few sentences of Markdown.
        related: Names of related glossary terms.
        aliases: Other names of the term; the site underlines these too.
        abbreviation: The usual abbreviation, e.g. `"CNN"`, or `None`.
        page: The guide page that demonstrates the term, relative to `docs/`,
            with an optional `#anchor`, e.g. `"foundations/training-practice.md#dropout"`.
        lookup_only: More names `lookup` accepts but the site does not underline
            (words too common in prose, such as "loss").
        tooltip: Whether the site underlines the term, with its definition as a
            tooltip, where a page first mentions it. `False` for basic words a
            newcomer already knows ("model", "training"): they keep their entry
            on the Glossary page and in `lookup` without the underline.

    Examples:
        >>> from dlguide import glossary
        >>> term = glossary.lookup("CNN")
        >>> term.name, term.abbreviation
        ('Convolutional neural network', 'CNN')
        >>> term.anchor
        'convolutional-neural-network'
        >>> term.url
        'https://dlguide.github.io/dlguide/architectures/cnn/'
    """

    name: str
    short: str
    long: str
    related: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    abbreviation: str | None = None
    page: str = ""
    lookup_only: tuple[str, ...] = ()
    tooltip: bool = True

    @property
    def anchor(self) -> str:
        """The id of the term's entry on the Glossary page."""
        return _slugify(self.name)

    @property
    def url(self) -> str:
        """The address of the page that demonstrates the term on the guide's site.

        The site's address is `$DLGUIDE_SITE_URL` if set, else the `Documentation`
        URL of the installed package (see `_site_url`).
        """
        path, _, anchor = self.page.partition("#")
        path = re.sub(r"(?:index)?\.(?:md|py)$", "", path)
        path = f"{path}/" if path and not path.endswith("/") else path
        return _site_url() + path + (f"#{anchor}" if anchor else "")

    @property
    def names(self) -> tuple[str, ...]:
        """The name, the abbreviation and the aliases: every form the site underlines."""
        abbreviation = (self.abbreviation,) if self.abbreviation else ()
        return (self.name, *abbreviation, *self.aliases)

    def __str__(self) -> str:
        title = f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name
        lines = [title, "", _wrap(self.short), "", _wrap(self.long)]
        if self.aliases:
            lines += ["", _wrap(f"Also called: {', '.join(self.aliases)}.")]
        if self.related:
            lines += ["", _wrap(f"Related: {', '.join(self.related)}.")]
        lines += ["", f"In the guide: {self.url}"]
        return "\n".join(lines)


def _wrap(text: str, width: int = 88) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(" ".join(text.split()), width)) or ""


def _slugify(text: str) -> str:
    """The anchor Python-Markdown's `toc` extension gives a heading with this text."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


# ------------------------------------------------------------------------- matching

_SPELLING = re.compile(r"(?<=[a-z])is(ation|ations|e|es|ed|ing|er|ers)\b")


def _normalise(text: str) -> str:
    """Lower case, ASCII, words separated by single spaces, US spelling ("-ise" -> "-ize")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
    return _SPELLING.sub(r"iz\1", text)


def _plurals(word: str) -> set[str]:
    """The plural(s) of an English word; over-generating is harmless ("epochs", "epoches")."""
    if word.endswith("s"):
        return {word + "es"}
    if re.search(r"(?:x|z|ch|sh)$", word):
        return {word + "es", word + "s"}
    if re.search(r"[^aeiou]y$", word):
        return {word[:-1] + "ies"}
    return {word + "s"}


def _singulars(word: str) -> set[str]:
    """Every word that `word` may be the plural of (over-generating is harmless)."""
    out = {word}
    if word.endswith("ies") and len(word) > 4:
        out.add(word[:-3] + "y")
    if word.endswith("es") and len(word) > 3:
        out.add(word[:-2])
    if word.endswith("s") and not word.endswith("ss") and len(word) > 2:
        out.add(word[:-1])
    return out


def _with_last_word(text: str, words: Iterable[str]) -> set[str]:
    head, _, last = text.rpartition(" ")
    return {f"{head} {w}" if head else w for w in words}


def _keys(form: str) -> set[str]:
    """The normalised keys under which `form` is found: itself and its plural."""
    key = _normalise(form)
    if not key:
        return set()
    last = key.rpartition(" ")[2]
    return {key} | _with_last_word(key, _plurals(last))


def _query_keys(query: str) -> list[str]:
    key = _normalise(query)
    if not key:
        return []
    last = key.rpartition(" ")[2]
    return [key, *sorted(_with_last_word(key, _singulars(last)) - {key})]


# ------------------------------------------------------------------------- loading


def _parse(text: str, source: str = "terms.toml") -> tuple[Term, ...]:
    """Parse the TOML text of the glossary into `Term`s, checking its structure."""
    data = tomllib.loads(text)
    entries = data.get("term")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{source}: expected [[term]] tables")
    result = []
    for i, entry in enumerate(entries):
        where = f"{source}: [[term]] #{i + 1} ({entry.get('name', '?')!r})"
        unknown = set(entry) - _FIELDS
        if unknown:
            raise ValueError(f"{where}: unknown fields {sorted(unknown)}")
        missing = {"name", "short", "long", "page"} - set(entry)
        if missing:
            raise ValueError(f"{where}: missing fields {sorted(missing)}")
        if not isinstance(entry.get("tooltip", True), bool):
            raise ValueError(f"{where}: tooltip must be true or false")
        result.append(
            Term(
                name=entry["name"],
                short=" ".join(entry["short"].split()),
                long=" ".join(entry["long"].split()),
                related=tuple(entry.get("related", ())),
                aliases=tuple(entry.get("aliases", ())),
                abbreviation=entry.get("abbreviation") or None,
                page=entry["page"],
                lookup_only=tuple(entry.get("lookup_only", ())),
                tooltip=entry.get("tooltip", True),
            )
        )
    return tuple(sorted(result, key=lambda t: (_normalise(t.name), t.name)))


def _index(all_terms: Iterable[Term]) -> dict[str, Term]:
    """Normalised key -> term; a key claimed by two terms is an error."""
    index: dict[str, Term] = {}
    for term in all_terms:
        for form in (*term.names, *term.lookup_only):
            for key in _keys(form):
                other = index.setdefault(key, term)
                if other is not term:
                    raise ValueError(
                        f"The glossary key {key!r} (from {form!r}) names both "
                        f"{other.name!r} and {term.name!r}"
                    )
    return index


def _read_data() -> str:
    return resources.files(__package__).joinpath("terms.toml").read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _glossary() -> tuple[tuple[Term, ...], dict[str, Term]]:
    all_terms = _parse(_read_data())
    return all_terms, _index(all_terms)


# ------------------------------------------------------------------------- public


def terms() -> list[Term]:
    """List every glossary term, in alphabetical order.

    Returns:
        A list of `Term`s sorted by name, ignoring case.

    Examples:
        >>> from dlguide import glossary
        >>> all_terms = glossary.terms()
        >>> len(all_terms) >= 80
        True
        >>> [term.name for term in all_terms[:3]]
        ['Accuracy', 'Activation function', 'AdaGrad']
    """
    return list(_glossary()[0])


def lookup(term: str) -> Term:
    """Find a glossary term by its name, an alias or its abbreviation.

    The search ignores case, punctuation, plurals and British or American
    spelling, so `"CNNs"`, `"batch-normalization"` and `"Learning rates"` all
    find their entries.

    Args:
        term: The word or phrase to look up.

    Returns:
        The matching `Term`.

    Raises:
        ValueError: If no term matches; the message suggests the closest
            names.

    Examples:
        >>> from dlguide import glossary
        >>> print(glossary.lookup("epochs").short)
        One complete pass of training over every example of the training set.
        >>> glossary.lookup("batch-normalization").name
        'Batch normalisation'
        >>> glossary.lookup("LSTMs").name
        'Long short-term memory'
        >>> glossary.lookup("dropotu")
        Traceback (most recent call last):
        ...
        ValueError: Unknown glossary term. Did you mean 'Dropout'? Received: term='dropotu'
    """
    _, index = _glossary()
    if isinstance(term, str):
        for key in _query_keys(term):
            if key in index:
                return index[key]
    raise ValueError(f"Unknown glossary term. {_suggest(term, index)} Received: term={term!r}")


def _suggest(term: Any, index: Mapping[str, Term]) -> str:
    key = _normalise(term) if isinstance(term, str) else ""
    names: list[str] = []
    for close in difflib.get_close_matches(key, list(index), n=10, cutoff=0.6):
        if index[close].name not in names:
            names.append(index[close].name)
    if not names:
        return "See dlguide.glossary.terms() for the full list."
    names = names[:3]
    options = (
        " or ".join(repr(n) for n in names)
        if len(names) < 3
        else (f"{names[0]!r}, {names[1]!r} or {names[2]!r}")
    )
    return f"Did you mean {options}?"
