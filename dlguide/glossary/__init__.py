"""The guide's glossary: every term the pages use, from epoch to transformer, explained.

The entries live in one data file inside the package, `terms.toml`. The site's
Glossary page, the tooltips on every page and `dlguide explain TERM` on the
command line are all generated from it. `lookup` ignores case, plurals,
punctuation and British or American spelling, and knows the abbreviations.

Examples:
    >>> from dlguide import glossary
    >>> term = glossary.lookup("learning rates")
    >>> term.name
    'Learning rate'
    >>> print(term.short)
    The size of each gradient-descent step: how far the weights move against the gradient.
    >>> term.related[:2]
    ('Gradient descent', 'Optimizer')
"""

from ._terms import Term, lookup, terms

__all__ = ["Term", "lookup", "terms"]
