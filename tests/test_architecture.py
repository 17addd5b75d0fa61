"""The package's layers: the import contracts hold, and docs/architecture.md shows the tree
as it is (every module named, every named path present, the same layers in the same order)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "plugins" / "moldir"
DOC = ROOT / "docs" / "architecture.md"

# A path of the package as the doc writes it: `pipeline/validate.py`, `features/charts/`.
DOC_PATH = re.compile(r"`((?:model|pipeline|features|site|incremental|cli)/[\w/]*(?:\.py|/))`")


def layer_contract() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    return [name.removeprefix("moldir.") for name in layers]


def documented_paths() -> set[str]:
    return set(DOC_PATH.findall(DOC.read_text(encoding="utf-8")))


def package_modules() -> list[str]:
    """Modules of the layers, as paths relative to the package (``pipeline/validate.py``)."""
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "/" not in relative:  # moldir/__init__.py: the entry points, not a layer
            continue
        if path.name == "__init__.py" and path.parent.parent == PACKAGE:
            continue  # a layer's own __init__ (its docstring) is the layer's row
        modules.append(relative)
    return modules


def test_import_contracts_hold():
    """`lint-imports` (import-linter) checks the contracts at the end of pyproject.toml."""
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter)], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "BROKEN" not in result.stdout


def test_every_module_is_in_the_architecture_page():
    documented = documented_paths()
    missing = []
    for module in package_modules():
        folders = [module[: i + 1] for i, c in enumerate(module) if c == "/"]
        as_package = module.removesuffix("__init__.py") if module.endswith("__init__.py") else None
        if module in documented or as_package in documented:
            continue
        # A feature folder named as a whole (`features/charts/`) covers its modules.
        if any(folder in documented for folder in folders[1:]):
            continue
        missing.append(module)
    assert not missing, f"modules not described in docs/architecture.md: {missing}"


def test_every_path_in_the_architecture_page_exists():
    gone = [path for path in documented_paths() if not (PACKAGE / path).exists()]
    assert not gone, f"docs/architecture.md names paths that are not in the package: {gone}"


def test_the_page_shows_the_contract_layers_in_order():
    text = DOC.read_text(encoding="utf-8")
    picture = text[text.index("```text") : text.index("```", text.index("```text") + 7)]
    positions = [picture.find(f"{layer}/") for layer in layer_contract()]
    assert -1 not in positions, f"the layers {layer_contract()} are not all in the picture"
    assert positions == sorted(positions), "the picture lists the layers out of order"


def test_every_layer_says_what_it_is():
    for layer in [*layer_contract(), "incremental"]:
        init = PACKAGE / layer / "__init__.py"
        docstring = init.read_text(encoding="utf-8").strip()
        assert docstring.startswith('"""') and len(docstring) > 80, f"{init} has no docstring"
