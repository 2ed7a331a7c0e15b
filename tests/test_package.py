"""The package's shape: one subpackage per stage, no import circle (type-only imports
counted), MkDocs only behind the adapters, a small public surface, one version."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import yipin
from yipin.commands.main import main

PACKAGE = Path(yipin.__file__).parent
ADAPTERS = {"yipin.plugin", "yipin.commands.build"}   # where MkDocs may be imported


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``name`` imports, anywhere in it (TYPE_CHECKING included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "yipin":
            targets = [f"{node.module}.{alias.name}" for alias in node.names]
            found |= {t if t in known else node.module for t in targets}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "yipin"}
        assert not (isinstance(node, ast.ImportFrom) and node.level), f"{name}: a relative import"
    return {target for target in found if target in known and target != name}


def test_the_import_graph_has_no_circle():
    known = modules()
    graph = {name: imports(name, path, set(known)) for name, path in known.items()}
    state: dict[str, str] = {}

    def visit(name: str, trail: tuple[str, ...]) -> None:
        state[name] = "open"
        for target in sorted(graph[name]):
            assert state.get(target) != "open", " → ".join((*trail, name, target))
            if target not in state:
                visit(target, (*trail, name))
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, ())


def test_only_the_adapters_import_mkdocs():
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        uses = any(isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "mkdocs"
                   or isinstance(n, ast.Import) and any(a.name.split(".")[0] == "mkdocs" for a in n.names)
                   for n in ast.walk(tree))
        assert not uses or name in ADAPTERS, name
    program = "import sys, yipin.build.pipeline, yipin.commands.main; print('mkdocs' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout == "False\n"


def test_each_stage_is_a_subpackage():
    stages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert {"content", "site", "calendar", "images", "render", "search", "build", "commands", "tools", "utils"} <= stages


def test_the_public_surface_and_the_version(capsys):
    assert sorted(yipin.__all__) == ["ContentError", "ContentErrors", "MachineError", "YipinError", "__version__"]
    assert all(hasattr(yipin, name) for name in yipin.__all__)
    try:
        main(["--version"])
    except SystemExit as done:
        assert done.code == 0
    assert capsys.readouterr().out == f"yipin {yipin.__version__}\n"
    from importlib.metadata import version
    assert version("yipin") == yipin.__version__   # pyproject reads it from the package
