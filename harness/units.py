"""Units of execution and the content-addressed cache of their passing runs.

A *unit* is one thing that runs as a whole: a Markdown page (`.md`: its ```python
blocks, in order, in one namespace) or a project notebook (`.py`, jupytext, in one
kernel; on the site, `docs/projects/*.py`).
Its *key* is a hash of everything its run depends on: the unit's own text, the
`dlguide` sources and data, the pinned versions, the harness code that runs it, the
Keras backend and the Python version. When a unit's run passes, its outputs (the figures a page wrote,
the executed notebook) are stored under that key in `.cache/execution/<key>/`.

The tests and the site build both go through this cache, so each unit runs once: the
first process to need it takes its lock and runs it; any other process that needs it
meanwhile waits for the lock and then reads the stored result.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import posixpath
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# mkdocs-jupyter's `include` pattern, relative to docs/ (mkdocs.yml must agree).
NOTEBOOK_PATTERN = "projects/*.py"
CACHE_ENV = "DLGUIDE_EXECUTION_CACHE"
RECORD = "record.json"
KEEP_PER_SOURCE = 2  # stored runs kept per unit: the current one and the one before

# What every run depends on besides the unit's own text: the package, the pinned versions and
# the parts of the harness that decide how a page or notebook runs (not the machinery that
# schedules runs and stores them, which cannot change what a run prints or draws).
_DEPENDENCIES = (
    "dlguide",
    "pyproject.toml",
    ".ci/constraints.txt",
    "conftest.py",
    "harness/pages.py",
    "harness/notebooks.py",
    "harness/offline/sitecustomize.py",
)


def cache_dir() -> Path:
    """Where passing runs are stored (`.cache/execution`, or `$DLGUIDE_EXECUTION_CACHE`)."""
    return Path(os.environ.get(CACHE_ENV) or ROOT / ".cache" / "execution")


def clear_cache() -> None:
    """Forget every stored run (what `CI=true` and `--cold` do before a test session)."""
    shutil.rmtree(cache_dir(), ignore_errors=True)


def is_notebook(path: Path, docs: Path = DOCS) -> bool:
    """Whether `path` is a project notebook that mkdocs-jupyter renders."""
    try:
        relative = Path(path).resolve().relative_to(Path(docs).resolve())
    except ValueError:
        return False
    return relative.match(NOTEBOOK_PATTERN)


_IMAGE = re.compile(r"!\[[^\]]*\]\((?P<src>[^)\s:]+\.(?:png|svg))[^)]*\)")


def page_figures(path: Path, docs: Path = DOCS) -> set[str]:
    """Images a Markdown page links that are not files in docs/: its run must draw them.

    Paths are relative to docs/, as the site sees them (`architectures/cnn_curves.png`).
    """
    path, docs = Path(path).resolve(), Path(docs).resolve()
    folder = path.parent.relative_to(docs)
    text = path.read_text(encoding="utf-8")
    links = {posixpath.normpath((folder / m["src"]).as_posix()) for m in _IMAGE.finditer(text)}
    return {link for link in links if not (docs / link).is_file()}


def needs_run_for_site(path: Path, docs: Path = DOCS) -> bool:
    """Whether the site shows outputs of running this file (a notebook, a page's figures)."""
    path = Path(path).resolve()
    if is_notebook(path, docs):
        return True
    try:
        return path.suffix == ".md" and bool(page_figures(path, docs))
    except ValueError:  # not under docs/
        return False


def dependencies_digest() -> str:
    """A hash of everything a run depends on besides the unit's own text."""
    digest = hashlib.sha256()
    for name in _DEPENDENCIES:
        top = ROOT / name
        files = [top] if top.is_file() else sorted(top.rglob("*"))
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    digest.update(os.environ.get("KERAS_BACKEND", "tensorflow").encode() + b"\0")
    digest.update(f"{sys.version_info.major}.{sys.version_info.minor}".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Unit:
    """One page or notebook, identified by the hash of its text and its dependencies."""

    path: Path
    kind: str  # "page" or "notebook"
    key: str

    @property
    def name(self) -> str:
        """The unit's path relative to the repository, for messages."""
        try:
            return self.path.relative_to(ROOT).as_posix()
        except ValueError:
            return str(self.path)

    @property
    def entry(self) -> Path:
        return cache_dir() / self.key

    def record(self) -> dict[str, Any] | None:
        """The stored passing run of this exact text and these dependencies, if any."""
        try:
            return json.loads((self.entry / RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def files(self) -> list[Path]:
        """The files the stored run produced (figures, the executed notebook)."""
        folder = self.entry / "files"
        return sorted(folder.iterdir()) if folder.is_dir() else []


def unit_for(path: str | os.PathLike[str], digest: str | None = None) -> Unit:
    """The unit for a page or notebook file; `digest` is `dependencies_digest()` if known."""
    path = Path(path).resolve()
    kind = "notebook" if path.suffix == ".py" else "page"
    digest = digest or dependencies_digest()
    key = hashlib.sha256(
        f"{kind}\0{path.name}\0{digest}\0".encode() + path.read_bytes()
    ).hexdigest()[:24]
    return Unit(path, kind, key)


class Claim:
    """The lock on a unit: whoever holds it is the one running it.

    `acquire()` waits while another process holds it (that process is running the
    same unit), then returns the stored record if that run passed, else None.
    """

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self._fd: int | None = None
        self.waited = 0.0

    def acquire(self) -> dict[str, Any] | None:
        cache_dir().mkdir(parents=True, exist_ok=True)
        fd = os.open(cache_dir() / f"{self.unit.key}.lock", os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            start = time.perf_counter()
            fcntl.flock(fd, fcntl.LOCK_EX)  # another process is running it: wait
            self.waited = time.perf_counter() - start
        self._fd = fd
        return self.unit.record()

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


@contextlib.contextmanager
def claimed(unit: Unit) -> Iterator[dict[str, Any] | None]:
    """`with claimed(unit) as record:` run the unit if `record` is None."""
    claim = Claim(unit)
    try:
        yield claim.acquire()
    finally:
        claim.release()


def store(unit: Unit, files: Mapping[str, Path], **details: Any) -> dict[str, Any]:
    """Store a passing run: copy its output `files` (name -> path) and write its record.

    The entry appears atomically (written aside, then renamed), so a reader never
    sees half a run; older runs of the same unit beyond `KEEP_PER_SOURCE` are removed.
    """
    record = {
        "source": unit.name,
        "kind": unit.kind,
        "key": unit.key,
        "stored": time.time(),
        "files": sorted(files),
        **details,
    }
    cache_dir().mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{unit.key}.", suffix=".tmp", dir=cache_dir()))
    (tmp / "files").mkdir()
    for name, path in files.items():
        shutil.copy2(path, tmp / "files" / name)
    (tmp / RECORD).write_text(json.dumps(record, indent=1), encoding="utf-8")
    try:
        tmp.rename(unit.entry)
    except OSError:  # the same run was stored meanwhile: keep that one
        shutil.rmtree(tmp, ignore_errors=True)
    _prune(unit)
    return record


def _prune(unit: Unit) -> None:
    runs = []
    for entry in cache_dir().iterdir():
        if entry.name == unit.key or not entry.is_dir() or entry.suffix == ".tmp":
            continue
        with contextlib.suppress(OSError, ValueError):
            record = json.loads((entry / RECORD).read_text(encoding="utf-8"))
            if record.get("source") == unit.name:
                runs.append((record.get("stored", 0), entry))
    for _, entry in sorted(runs, reverse=True)[KEEP_PER_SOURCE - 1 :]:
        shutil.rmtree(entry, ignore_errors=True)
        with contextlib.suppress(OSError):
            (cache_dir() / f"{entry.name}.lock").unlink()
