"""Package data: the files `yipin init` writes into a new site (site/) and the CI workflows
for each forge (ci/)."""

from pathlib import Path

__all__ = ["SITE", "CI"]

SITE = Path(__file__).resolve().parent / "site"
CI = Path(__file__).resolve().parent / "ci"
