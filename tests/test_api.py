"""The public API: flat exports, docstrings with examples, and a cheap import."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import dlguide

# Names of these subpackages are also exported flat: dlguide.load_mnist, dlguide.mlp, ...
FLAT = ("datasets", "models", "plots")
# These keep their namespace, so that e.g. the NumPy `dlguide.scratch.MLP` is never confused
# with the Keras builder `dlguide.mlp`.
NAMESPACED = ("scratch", "exercises", "vision", "metrics", "text", "glossary", "advise", "deploy")
SUBPACKAGES = FLAT + NAMESPACED


def _public_objects():
    """Every public function and class defined in a subpackage's modules."""
    for sub in SUBPACKAGES:
        package = importlib.import_module(f"dlguide.{sub}")
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"dlguide.{sub}.{info.name}")
            for name, obj in vars(module).items():
                if (
                    not name.startswith("_")
                    and (inspect.isfunction(obj) or inspect.isclass(obj))
                    and obj.__module__ == module.__name__
                ):
                    yield sub, name, obj


PUBLIC = sorted(_public_objects(), key=lambda item: item[:2])


def test_there_is_something_to_check():
    assert len(PUBLIC) >= 9


@pytest.mark.parametrize(("sub", "name", "obj"), PUBLIC, ids=[p[1] for p in PUBLIC])
def test_public_object_is_exported_flat(sub, name, obj):
    package = importlib.import_module(f"dlguide.{sub}")
    assert name in package.__all__, f"dlguide.{sub}.__all__ lacks {name}"
    assert getattr(package, name) is obj
    if sub in FLAT:
        assert name in dlguide.__all__, f"dlguide.__all__ lacks {name}"
        assert getattr(dlguide, name) is obj
    else:
        assert name not in dlguide.__all__


@pytest.mark.parametrize(("sub", "name", "obj"), PUBLIC, ids=[p[1] for p in PUBLIC])
def test_public_object_has_a_google_docstring_with_examples(sub, name, obj):
    doc = inspect.getdoc(obj) or ""
    assert doc.split("\n")[0].endswith("."), f"{name}: summary line must be a sentence"
    assert "\nExamples:\n" in doc and "    >>> " in doc, f"{name}: no Examples: section"
    if inspect.isfunction(obj):
        if inspect.signature(obj).parameters:
            assert "\nArgs:\n" in doc, f"{name}: no Args: section"
        assert "\nReturns:\n" in doc, f"{name}: no Returns: section"
        if "raise " in inspect.getsource(obj) or "check_" in inspect.getsource(obj):
            assert "\nRaises:\n" in doc, f"{name}: raises but has no Raises: section"


def test_all_lists_match_between_top_level_and_subpackages():
    names = {n for sub in FLAT for n in importlib.import_module(f"dlguide.{sub}").__all__}
    assert set(dlguide.__all__) == names | set(SUBPACKAGES) | {"__version__"}
    for sub in SUBPACKAGES:
        assert inspect.getdoc(getattr(dlguide, sub)).count(">>>") >= 1


def test_unknown_attribute_is_a_plain_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'load_imagenet'"):
        dlguide.load_imagenet  # noqa: B018


def test_version_matches_the_installed_metadata():
    from importlib.metadata import version

    assert dlguide.__version__ == version("dlguide")


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout


def test_import_dlguide_does_not_import_keras_or_tensorflow():
    out = _run(
        "import sys, dlguide; dlguide.datasets.load_digits; "
        "print(sorted(m for m in ('keras', 'tensorflow', 'matplotlib', 'sklearn') "
        "if m in sys.modules))"
    )
    assert out.strip() == "[]"


def test_import_dlguide_imports_only_the_standard_library():
    """What keeps `import dlguide` cheap (its time is measured by .ci/benchmark, not here)."""
    out = _run(
        "import sys; before = set(sys.modules); import dlguide; "
        "print(sorted(m for m in set(sys.modules) - before "
        "if m.split('.')[0] not in sys.stdlib_module_names and m.split('.')[0] != 'dlguide'))"
    )
    assert out.strip() == "[]", f"import dlguide imports third-party modules: {out}"


def test_every_model_name_has_an_entry_in_the_api_reference():
    """docs/reference/models.md lists its entries one by one: a new name needs its own."""
    import dlguide.models

    page = (Path(__file__).resolve().parents[1] / "docs/reference/models.md").read_text()
    missing = [n for n in dlguide.models.__all__ if f"::: dlguide.models.{n}\n" not in page]
    assert not missing, f"add these to docs/reference/models.md: {missing}"
