"""The site's outputs hook on a small project of its own, with a cold execution cache.

- `mkdocs build --strict` runs what the cache lacks, shows its figures, never a
  "being computed" notice, and fails with a clear message when a page downloads.
- `mkdocs serve` answers before the runs are done, with a notice in their place, and
  the live reload brings the outputs once they are computed.

Each test builds a two-page project in a temporary folder with the real hook
(`docs/overrides/hooks/outputs.py`) and its own empty cache.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from harness.outputs import FAILED_CLASS, PENDING_CLASS

ROOT = Path(__file__).resolve().parents[1]
HOOK = ROOT / "docs" / "overrides" / "hooks" / "outputs.py"

FIGURE_PAGE = """# A figure

```python
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
plt.plot([0, 1], [1, 0])
plt.savefig("line.png")
```

![A falling line](line.png)
"""

DOWNLOADING_PAGE = """# A page that downloads

```python
import keras
(x_train, y_train), _ = keras.datasets.mnist.load_data()
```

![Digits](digits.png)
"""


def project(tmp_path: Path, **pages: str) -> tuple[Path, dict[str, str]]:
    """A MkDocs project using the outputs hook, and the environment to build it in."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in pages.items():
        (docs / f"{name}.md").write_text(text, encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: outputs\nstrict: true\nhooks:\n  - {HOOK}\n", encoding="utf-8")
    env = dict(
        os.environ,
        DLGUIDE_EXECUTION_CACHE=str(tmp_path / "cache"),
        NO_MKDOCS_2_WARNING="1",
        TF_CPP_MIN_LOG_LEVEL="2",
    )
    return config, env


def build(config: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    site = config.parent / "site"
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.build
def test_a_cold_strict_build_runs_the_page_and_shows_no_notice(tmp_path):
    config, env = project(tmp_path, index=FIGURE_PAGE)
    result = build(config, env)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<img alt="A falling line" src="line.png"' in html
    assert (tmp_path / "site" / "line.png").read_bytes().startswith(b"\x89PNG")
    assert PENDING_CLASS not in html and FAILED_CLASS not in html
    assert "Running 1 page(s)/notebook(s)" in result.stderr

    again = build(config, env)  # warm: the stored run is reused
    assert again.returncode == 0, again.stderr
    assert "Running" not in again.stderr


@pytest.mark.build
def test_a_page_that_downloads_fails_the_build_with_a_clear_message(tmp_path):
    config, env = project(tmp_path, index=FIGURE_PAGE, download=DOWNLOADING_PAGE)
    result = build(config, env)
    assert result.returncode != 0
    assert "download.md failed" in result.stderr
    assert "dlguide runs offline: looking up storage.googleapis.com was refused" in result.stderr
    assert not (tmp_path / "site" / "download" / "index.html").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8", errors="replace")


@pytest.mark.build
def test_serve_answers_first_then_live_reloads_the_outputs(tmp_path):
    slow_page = FIGURE_PAGE.replace(
        "plt.savefig",
        "import time\ntime.sleep(3)  # still running when the server answers\nplt.savefig",
    )
    config, env = project(tmp_path, index=slow_page)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        first = None
        for _ in range(600):
            try:
                first = _get(url)
                break
            except OSError:
                time.sleep(0.1)
        assert first is not None, "mkdocs serve never answered"
        assert PENDING_CLASS in first and "not computed yet" in first
        assert 'src="line.png"' not in first
        page = first
        for _ in range(600):
            if 'src="line.png"' in page:
                break
            time.sleep(0.1)
            page = _get(url)
        assert 'src="line.png"' in page and PENDING_CLASS not in page
        assert _get(url + "line.png")  # served
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "(1 of 1 ready)" in output, output


# A page that notes which process ran it, and draws a figure (so the site needs its run).
PID_PAGE = """# Page {name}

```python
import os
with open(os.environ["DLGUIDE_TEST_PIDS"], "a") as pids:
    pids.write(f"{{os.getpid()}}\\n")
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
plt.plot([0, 1], [0, 1])
plt.savefig("{name}.png")
```

![A rising line]({name}.png)
"""

CRASHING_PAGE = """# A page whose process dies

```python
import os
os._exit(3)
```

![Never drawn](never.png)
"""


@pytest.mark.build
def test_a_build_runs_pages_in_one_process_and_a_crash_fails_only_its_page(tmp_path):
    config, env = project(
        tmp_path,
        a=PID_PAGE.format(name="a"),
        b=PID_PAGE.format(name="b"),
        z_crash=CRASHING_PAGE,
    )
    pids = tmp_path / "pids.txt"
    env.update(DLGUIDE_TEST_PIDS=str(pids), DLGUIDE_BUILD_JOBS="1")
    result = build(config, env)
    assert result.returncode != 0
    assert "z_crash.md failed" in result.stderr
    assert "the run's process exited (status 3)" in result.stderr
    ran_in = pids.read_text(encoding="utf-8").split()
    assert len(ran_in) == 2 and ran_in[0] == ran_in[1], ran_in  # one process, page after page

    (tmp_path / "docs" / "z_crash.md").unlink()
    again = build(config, env)  # the pages that passed were stored despite the crash
    assert again.returncode == 0, again.stderr
    assert "Running" not in again.stderr
