"""The site side of the harness: outputs on the site come from stored, passing runs.

A page that links figures its code draws, and every project notebook, needs the
outputs of a run. `Outputs.on_files` looks each one up in the execution cache
(`harness.units`), by the hash of its text and dependencies:

- `mkdocs build` runs what is missing (`python -m harness.run`, two at a time,
  longest first, in two long-lived processes), and fails with the run's error if a
  page or notebook fails: a built site only ever shows outputs of runs that passed,
  of exactly today's code.
- `mkdocs serve` never waits for a run. It serves every page at once; a page whose
  outputs are missing shows a notice in their place, and the missing runs go to a
  background queue (progress in the terminal). Each finished run lands in the same
  cache, and the live reload swaps the notice for the outputs. Editing a page
  re-runs that page only.

The state lives in this module, not in the hook, because `mkdocs serve` loads the
hooks afresh for each rebuild while this module stays imported.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from . import units

log = logging.getLogger("mkdocs.hooks.outputs")

PENDING_CLASS = "dl-outputs-pending"
FAILED_CLASS = "dl-outputs-failed"
SIGNAL = units.ROOT / ".cache" / "serve-signal"
NOTEBOOK_HTML = units.ROOT / ".cache" / "notebook-html"
RELOAD_EVERY = 30.0  # seconds: at most one live reload this often while runs finish
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s:]+\.(?:png|svg))[^)]*\)")


def child_environment() -> dict[str, str]:
    """The environment of a run: offline guard, quiet TensorFlow, no display.

    Thread pools are left as the tests leave them (TensorFlow's own sizing): the
    number of threads changes float summation order, and with it some checked
    numbers (cnn_textures, cnn_mnist_digits, gan), so a build must use the same.
    """
    from .plugin import install_offline_guard

    install_offline_guard()
    return dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", MPLBACKEND="Agg")


def run_unit(unit: units.Unit) -> tuple[bool, str, float]:
    """Run one unit in a fresh process; (passed, what it printed, seconds).

    `mkdocs serve` runs each unit this way, so a run after an edit of `dlguide/` imports
    the edited package."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "harness.run", str(unit.path)],
        cwd=units.ROOT,
        env=child_environment(),
        capture_output=True,
        text=True,
    )
    return (
        result.returncode == 0,
        (result.stdout + result.stderr)[-4000:],
        (time.perf_counter() - start),
    )


class Runner:
    """A `python -m harness.run --worker` process that runs units one after another.

    `mkdocs build` keeps one per job for the whole build, so Keras and TensorFlow are
    imported once per job rather than once per page (about 4 s each): the tests' workers
    run pages the same way, one process for many pages. Units go in on its stdin, one
    path a line; each result comes back as a JSON line on a pipe of its own (what the
    pages print goes to a log file, shown when a unit fails or the process dies).
    """

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self.log = log_path.open("w", encoding="utf-8")
        read_fd, write_fd = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "harness.run", "--worker", str(write_fd)],
                cwd=units.ROOT,
                env=env,
                stdin=subprocess.PIPE,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                pass_fds=(write_fd,),
                text=True,
            )
        finally:
            os.close(write_fd)
        self.results = os.fdopen(read_fd, encoding="utf-8")

    def run(self, unit: units.Unit) -> tuple[bool, str, float]:
        """Run `unit`; (passed, the failure, seconds). A dead process fails the unit."""
        start = time.perf_counter()
        line = ""
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(f"{unit.path}\n")
            self.process.stdin.flush()
            line = self.results.readline()
        except (BrokenPipeError, OSError):
            pass
        if not line:
            self.process.wait()
            self.log.flush()
            printed = self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
            return (
                False,
                f"the run's process exited (status {self.process.returncode}):\n{printed}",
                time.perf_counter() - start,
            )
        result = json.loads(line)
        return result["failure"] is None, result["failure"] or "", result["seconds"]

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        if self.process.stdin is not None and self.alive:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.results.close()
        self.log.close()


def _notice(kind: str, title: str, body: str) -> str:
    cls = PENDING_CLASS if kind == "info" else FAILED_CLASS
    return (
        f'<div class="admonition {kind} {cls}"><p class="admonition-title">{title}</p>'
        f"{body}</div>\n\n"
    )


class Outputs:
    """What the site needs run, and (under `mkdocs serve`) the queue that runs it."""

    def __init__(self) -> None:
        self.command = "build"
        self.server: Any = None
        self.needed: dict[str, units.Unit] = {}  # src_uri -> unit, for the current build
        self.docs = units.DOCS
        self.failures: dict[str, str] = {}  # key -> error (serve only)
        self.queued: dict[str, units.Unit] = {}  # key -> unit, not finished yet
        self.submitted: set[str] = set()  # keys handed to the pool
        self.pool: ThreadPoolExecutor | None = None
        self.lock = threading.Lock()
        self.last_signal = 0.0
        self.timer: threading.Timer | None = None
        self.started = time.perf_counter()

    # ------------------------------------------------------------------ build events

    def on_files(self, files: Any, config: Any) -> Any:
        from mkdocs.exceptions import PluginError
        from mkdocs.structure.files import File

        digest = units.dependencies_digest()
        self.docs = Path(config.docs_dir)
        self.needed = {
            file.src_uri: units.unit_for(file.abs_src_path, digest)
            for file in files.documentation_pages()
            if file.abs_src_path and units.needs_run_for_site(Path(file.abs_src_path), self.docs)
        }
        missing = [unit for unit in self.needed.values() if unit.record() is None]
        if self.command == "serve":
            self._enqueue(missing)
        elif missing:
            self._run_now(missing)
            unstored = [unit.name for unit in missing if unit.record() is None]
            if unstored:
                raise PluginError(
                    f"{', '.join(unstored)} ran but stored no outputs under the key this build "
                    "computed: did the sources change during the build? Build again."
                )

        known = {file.src_uri for file in files}
        for src_uri, unit in self.needed.items():
            if unit.kind != "page" or unit.record() is None:
                continue
            folder = Path(src_uri).parent
            made = {(folder / path.name).as_posix(): path for path in unit.files()}
            absent = units.page_figures(unit.path, self.docs) - set(made)
            if absent:
                raise PluginError(
                    f"{src_uri} links {', '.join(sorted(absent))}, which its code does not write."
                )
            for uri, path in made.items():
                if uri in known:
                    raise PluginError(f"{src_uri} writes {uri}, which exists in docs/")
                files.append(File.generated(config, uri, abs_src_path=str(path)))
                known.add(uri)
        return files

    def _run_now(self, missing: list[units.Unit]) -> None:
        """Run the missing units before the build goes on, `DLGUIDE_BUILD_JOBS` (2) at a
        time, longest first (times from `.ci/durations.json`), in long-lived runners."""
        from mkdocs.exceptions import PluginError

        from .plugin import expected_seconds

        jobs = max(1, int(os.environ.get("DLGUIDE_BUILD_JOBS", "2")))
        log.info("Running %d page(s)/notebook(s) whose outputs are not cached", len(missing))
        todo = queue.SimpleQueue()
        for unit in sorted(missing, key=lambda unit: expected_seconds(unit.path), reverse=True):
            todo.put(unit)
        env = child_environment()
        failed: list[str] = []
        done: list[str] = []
        lock = threading.Lock()

        def work(logs: Path) -> None:
            runner, started = None, 0
            try:
                while True:
                    try:
                        unit = todo.get_nowait()
                    except queue.Empty:
                        return
                    if runner is None or not runner.alive:
                        if runner is not None:
                            runner.close()
                        started += 1
                        name = f"{threading.current_thread().name}-{started}.log"
                        runner = Runner(env, logs / name)
                    passed, output, seconds = runner.run(unit)
                    with lock:
                        done.append(unit.name)
                        if passed:
                            log.info(
                                "[%d/%d] ran %s in %.0f s",
                                len(done),
                                len(missing),
                                unit.name,
                                seconds,
                            )
                        else:
                            failed.append(f"{unit.name} failed:\n{output}")
            finally:
                if runner is not None:
                    runner.close()

        with tempfile.TemporaryDirectory(prefix="dlguide-build-runs-") as logs:
            threads = [
                threading.Thread(target=work, args=(Path(logs),), name=f"dlguide-run-{i}")
                for i in range(min(jobs, len(missing)))
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        if failed:
            raise PluginError("\n\n".join(failed))

    def _state(self, src_uri: str) -> str:
        """'ready', 'pending' or 'failed' for a page that needs a run; '' otherwise."""
        unit = self.needed.get(src_uri)
        if unit is None:
            return ""
        if unit.record() is not None:
            return "ready"
        return "failed" if unit.key in self.failures else "pending"

    def on_page_markdown(self, markdown: str, page: Any) -> str:
        state = self._state(page.file.src_uri)
        if state not in ("pending", "failed"):
            return markdown
        missing = units.page_figures(self.needed[page.file.src_uri].path, self.docs)
        folder = Path(page.file.src_uri).parent

        def placeholder(match: re.Match[str]) -> str:
            if (folder / match["src"]).as_posix() not in missing:
                return match[0]
            return f"*[figure: {match['alt'] or match['src']}, not computed yet]*"

        markdown = _IMAGE.sub(placeholder, markdown)
        title = re.match(r"#[^#\n].*\n", markdown)  # the notice goes under the page's title
        at = title.end() if title else 0
        return markdown[:at] + "\n" + self._notice(page.file.src_uri) + markdown[at:]

    def on_pre_page(self, page: Any, plugin_config: Any) -> None:
        """A notebook with a stored run is rendered from the executed copy.

        mkdocs-jupyter renders `page.file.abs_src_path`: it points at the executed
        notebook while the page renders, and back at the source afterwards (which the
        plugin publishes for download). nbconvert's HTML is kept in `.cache/notebook-html`
        under a hash of the run and the plugin's settings, so a rebuild does not redo it.
        """
        unit = self.needed.get(page.file.src_uri)
        if unit is None or unit.kind != "notebook" or unit.record() is None:
            return
        executed = unit.files()[0]
        settings = hashlib.sha256(repr(sorted(dict(plugin_config).items())).encode()).hexdigest()
        cached = NOTEBOOK_HTML / f"{unit.path.stem}-{unit.key}-{settings[:12]}.pickle"
        render = page.render

        def render_executed(config: Any, files: Any) -> None:
            if cached.is_file():
                page.content, page.toc, page.title = pickle.loads(cached.read_bytes())
                return
            source = page.file.abs_src_path
            page.file.abs_src_path = str(executed)
            try:
                render(config, files)
            finally:
                page.file.abs_src_path = source
            NOTEBOOK_HTML.mkdir(parents=True, exist_ok=True)
            for old in NOTEBOOK_HTML.glob(f"{unit.path.stem}-*.pickle"):
                old.unlink(missing_ok=True)
            cached.write_bytes(pickle.dumps((page.content, page.toc, page.title)))

        page.render = render_executed

    def on_page_content(self, html: str, page: Any) -> str:
        unit = self.needed.get(page.file.src_uri)
        if unit is None or unit.kind != "notebook" or self._state(page.file.src_uri) == "ready":
            return html
        at = html.find("</h1>")  # under the notebook's title
        at = at + len("</h1>") if at >= 0 else 0
        return html[:at] + self._notice(page.file.src_uri) + html[at:]

    def _notice(self, src_uri: str) -> str:
        unit = self.needed[src_uri]
        if unit.key in self.failures:
            import html

            return _notice(
                "failure",
                "Running this page failed",
                "<p>Its outputs are not shown. The error (also in the terminal):</p>"
                f"<pre><code>{html.escape(self.failures[unit.key])}</code></pre>",
            )
        what = "notebook" if unit.kind == "notebook" else "page's code"
        return _notice(
            "info",
            "Outputs are being computed",
            f"<p>This {what} is being run to produce its outputs. This page reloads by "
            "itself when they are ready.</p>",
        )

    # ------------------------------------------------------------------ serve: queue

    def on_serve(self, server: Any) -> Any:
        self.server = server
        SIGNAL.mkdir(parents=True, exist_ok=True)
        server.watch(str(SIGNAL))
        return server

    def on_post_build(self) -> None:
        if self.command == "serve":
            self._start()

    def _enqueue(self, missing: list[units.Unit]) -> None:
        with self.lock:
            new = [
                unit
                for unit in missing
                if unit.key not in self.queued and unit.key not in self.failures
            ]
            for unit in sorted(new, key=lambda unit: unit.kind == "notebook"):
                self.queued[unit.key] = unit
        if new:
            log.info(
                "outputs: %d of %d page(s)/notebook(s) to run in the background; their "
                "pages show a notice until then",
                len(new),
                len(self.needed),
            )

    def _start(self) -> None:
        with self.lock:
            if self.pool is None:
                self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="dlguide-run")
            for key, unit in self.queued.items():
                if key not in self.submitted:
                    self.submitted.add(key)
                    self.pool.submit(self._job, unit)

    def _job(self, unit: units.Unit) -> None:
        wanted = {u.key for u in self.needed.values()}
        if unit.key not in wanted:  # its page was edited since: a newer run is queued
            with self.lock:
                self.queued.pop(unit.key, None)
            return
        log.info("outputs: running %s", unit.name)
        passed, output, seconds = run_unit(unit)
        with self.lock:
            self.queued.pop(unit.key, None)
            if not passed:
                self.failures[unit.key] = output
            ready = sum(u.record() is not None for u in self.needed.values())
            left = len(self.queued)
        if passed:
            log.info(
                "outputs: %s ready in %.0f s (%d of %d ready)",
                unit.name,
                seconds,
                ready,
                len(self.needed),
            )
        else:
            log.error("outputs: %s failed after %.0f s:\n%s", unit.name, seconds, output)
        if not left:
            log.info(
                "outputs: all runs finished, %d of %d ready, %.0f s after the server started",
                ready,
                len(self.needed),
                time.perf_counter() - self.started,
            )
        self._signal(now=not left)

    def _signal(self, now: bool) -> None:
        """Ask the server for a rebuild (and so a live reload), at most every few seconds."""
        with self.lock:
            if self.timer is not None:
                if not now:
                    return  # a reload is already on its way
                self.timer.cancel()
                self.timer = None
            wait = self.last_signal + RELOAD_EVERY - time.monotonic()
            if not now and wait > 0:
                self.timer = threading.Timer(wait, self._fire)
                self.timer.daemon = True
                self.timer.start()
                return
            self.last_signal = time.monotonic()
        SIGNAL.mkdir(parents=True, exist_ok=True)
        (SIGNAL / "outputs-ready").write_text(str(time.time()), encoding="utf-8")

    def _fire(self) -> None:
        with self.lock:
            self.timer = None
        self._signal(now=True)


session = Outputs()
