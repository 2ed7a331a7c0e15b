"""Which engine `yipin build` and `yipin serve` run: MkDocs 1.6 or ProperDocs, its maintained
fork (MkDocs 1.6.1 is the last MkDocs 1.x; 2.0 has no plugins). ProperDocs runs the same
plugins and Material theme, and answers for every `mkdocs` module once imported, so the
plugin and the commands name only `mkdocs`. It is used when installed (a street installs it
to move on: `pip install 'yipin[properdocs]'`); the environment variable YIPIN_ENGINE=mkdocs
or properdocs chooses. The choice holds for the whole process: once MkDocs's own modules are
loaded, ProperDocs can no longer take their place."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import sys

from yipin.errors import MachineError, UsageError

__all__ = ["ENGINES", "ENV_ENGINE", "use_engine"]

ENV_ENGINE = "YIPIN_ENGINE"
ENGINES = {"properdocs": "ProperDocs", "mkdocs": "MkDocs"}  # in the order they are preferred


def use_engine() -> str:
    """Make the `mkdocs` modules the chosen engine's; returns its name and version ("ProperDocs 1.6.7")."""
    wanted = os.environ.get(ENV_ENGINE, "").strip().lower()
    if wanted and wanted not in ENGINES:
        raise UsageError(f"环境变量 {ENV_ENGINE} 只能是 {' 或 '.join(ENGINES)}，现在是“{wanted}”")
    for name in [wanted] if wanted else list(ENGINES):
        if importlib.util.find_spec(name) is None:
            continue
        if name == "properdocs" and _mkdocs_loaded():
            name = "mkdocs"  # this process already runs MkDocs's own modules
        elif name == "properdocs":
            importlib.import_module("properdocs.replacement")
        return f"{ENGINES[name]} {importlib.metadata.version(name)}"
    raise MachineError(f"没有安装{'、'.join(ENGINES.values()) if not wanted else ENGINES[wanted]}："
                       "请在网站文件夹里运行 pip install -r requirements.txt")


def _mkdocs_loaded() -> bool:
    module = sys.modules.get("mkdocs")
    return module is not None and module.__name__ == "mkdocs"
