"""The machinery that runs the guide's code, shared by the tests and the site build.

- `harness.units`: what runs (a Markdown page, a notebook), the content-addressed
  execution cache that stores each passing run, and the per-unit lock that makes
  sure one run is never done twice at once.
- `harness.pages`: the sybil parsers and document types behind the two Sybils in
  the root `conftest.py` (pages and docstrings), and running one page outside pytest.
- `harness.notebooks`: executing a jupytext notebook in a fresh kernel, with the
  numbers in its prose checked against the kernel.
- `harness.plugin`: the pytest side (collection, ordering, reuse, a summary line).
- `harness.outputs`: the site side (what the build needs, computing it when missing,
  and the background queue behind `mkdocs serve`).
- `harness/offline/sitecustomize.py`: refuses network connections beyond 127.0.0.1 in
  every Python process the tests or the build start.

Nothing here is part of the `dlguide` package that users install.
"""
