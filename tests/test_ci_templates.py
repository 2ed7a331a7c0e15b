"""CI templates for a site repository (templates/ci/) and the pre-commit hooks: each is
valid for its service, and the commands it runs work in a site made by `yipin init`."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from pre_commit.clientlib import load_config, load_manifest

from yipin.cache import DEFAULT_FOLDER as BUILD_CACHE
from yipin.commands.main import main
from yipin.images.cache import DEFAULT_FOLDER as IMAGE_CACHE
from yipin.templates import CI as TEMPLATES

from .conftest import REPO

CACHE = Path(os.path.commonpath([IMAGE_CACHE, BUILD_CACHE])).as_posix()  # where the build keeps both

ACTIONS = {"github-actions.yml": "github", "gitea-actions.yml": "gitea"}
SCHEMAS = {"github-actions.yml": "vendor.github-workflows", "gitea-actions.yml": "vendor.github-workflows",
           "gitlab-ci.yml": "vendor.gitlab-ci"}
# The runner's own set-up: apt-get needs root, and the pinned Yipin is the one installed here
# (it is not on the package index yet).
NOT_RUN_HERE = re.compile(r"^(apt-get |\$\(command -v sudo\) apt-get |pip install -r requirements.txt)")
INSTALL = "pip install -r requirements.txt"
# The share posters are drawn with a Chinese font, which GitHub's and Gitea's runners lack.
FONTS = ("$(command -v sudo) apt-get update -qq && $(command -v sudo) apt-get install -y -qq fonts-noto-cjk"
         " > /dev/null")


def load(name: str) -> dict:
    return yaml.safe_load((TEMPLATES / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))   # YAML 1.1 reads the key `on` as true


def steps_of(job: dict) -> list[dict]:
    return job.get("steps", [])


def commands(name: str) -> list[str]:
    """Every shell command the template runs, in order (check job first)."""
    data = load(name)
    if name in ACTIONS:
        lines = [s["run"] for job in data["jobs"].values() for s in steps_of(job) if "run" in s]
    else:
        jobs = [v for k, v in data.items() if isinstance(v, dict) and "script" in v]
        lines = [*data["default"]["before_script"], *(line for job in jobs for line in job["script"])]
    return [line.split("#")[0].strip() for line in lines]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_template_validates_against_its_services_published_schema(name):
    result = subprocess.run([str(REPO / ".venv" / "bin" / "check-jsonschema"), "--builtin-schema", SCHEMAS[name],
                             *(["--data-transform", "gitlab-ci"] if name == "gitlab-ci.yml" else []),
                             str(TEMPLATES / name)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_actions_check_every_push_and_pull_request_and_build_main(name):
    workflow = load(name)
    assert {"push", "pull_request"} <= set(triggers(workflow))
    check, build = workflow["jobs"]["check"], workflow["jobs"]["build"]
    assert "if" not in check
    assert [s["run"] for s in steps_of(check) if "run" in s] == [INSTALL, "yipin check --format github"]
    assert build["needs"] == "check"
    assert "refs/heads/main" in build["if"] and "pull_request" in build["if"]
    uses = {s.get("uses", "").split("@")[0]: s for s in steps_of(build)}
    assert uses["actions/checkout"]["with"]["fetch-depth"] == 0       # commit dates for `updated`
    assert "actions/setup-node" in uses          # npm installs Pagefind on the first build
    assert uses["actions/cache"]["with"]["path"].split() == [CACHE, "~/.cache/yipin"]   # the tools' cache
    assert [s.get("run") for s in steps_of(build) if "run" in s] == [INSTALL, FONTS, "yipin build"]
    publish = "actions/upload-pages-artifact" if name == "github-actions.yml" else "actions/upload-artifact"
    assert uses[publish]["with"]["path"] == "site"


def test_github_deploys_the_built_site_to_pages():
    deploy = load("github-actions.yml")["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_gitea_uses_the_artifact_action_gitea_supports():
    steps = steps_of(load("gitea-actions.yml")["jobs"]["build"])
    assert any(s.get("uses") == "actions/upload-artifact@v3" for s in steps)


def test_gitlab_checks_every_pipeline_and_publishes_pages_from_main():
    ci = load("gitlab-ci.yml")
    assert "rules" not in ci["check"]
    assert ci["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert ci["pages"]["artifacts"]["paths"] == ["public"]
    assert ci["pages"]["variables"]["GIT_DEPTH"] == 0
    cached = {p for entry in ci["pages"]["cache"] for p in entry["paths"]}
    assert {CACHE, ".cache/npm", ".cache/pip", ".cache/yipin-tools"} <= cached
    assert ci["variables"]["npm_config_cache"] == "$CI_PROJECT_DIR/.cache/npm"
    assert ci["variables"]["YIPIN_TOOLS"] == "$CI_PROJECT_DIR/.cache/yipin-tools"
    assert ci["default"]["before_script"][-1].startswith(INSTALL)
    assert "fonts-noto-cjk" in ci["default"]["before_script"][0]


def test_the_templates_run_the_same_commands():
    runs = {name: [c for c in commands(name) if not NOT_RUN_HERE.match(c)] for name in SCHEMAS}
    assert runs["github-actions.yml"] == runs["gitea-actions.yml"]
    assert set(runs["github-actions.yml"]) <= set(runs["gitlab-ci.yml"]) | {"yipin check --format github"}


@pytest.fixture(scope="module")
def site_repo(tmp_path_factory) -> Path:
    """A street's site as `yipin init` writes it, for the GitLab forge (the others differ in
    the workflow file only)."""
    site = tmp_path_factory.mktemp("site-repo") / "site-repo"
    assert main(["init", str(site), "--yes", "--street", "洲心街道", "--forge", "gitlab"]) == 0
    return site


def run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{REPO / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(["bash", "-eo", "pipefail", "-c", command], cwd=cwd, env=env, capture_output=True, text=True)


def test_the_template_commands_check_and_build_a_site_repository(site_repo):
    for command in dict.fromkeys(c for name in SCHEMAS for c in commands(name) if not NOT_RUN_HERE.match(c)):
        result = run(command, site_repo)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    assert (site_repo / "site" / "index.html").is_file()
    assert (site_repo / "site" / "admin" / "index.html").is_file()
    assert (site_repo / "public" / "index.html").is_file()    # GitLab Pages publishes public/


def test_the_check_command_annotates_the_line_in_the_repository(site_repo):
    bad = site_repo / "content" / "cases" / "zz-broken.yaml"
    bad.write_text("brand:\n  name: 品牌\n  slogn: 错字\n", encoding="utf-8")
    try:
        result = run("yipin check --format github", site_repo)
    finally:
        bad.unlink()
    assert result.returncode == 1
    assert "::error file=content/cases/zz-broken.yaml,line=3,col=3,title=brand.slogn::未知字段 slogn" in result.stdout


def test_the_pre_commit_hooks_run_yipin_check_on_content_changes(site_repo):
    (hook,) = load_manifest(str(REPO / ".pre-commit-hooks.yaml"))   # pre-commit's own manifest schema
    assert (hook["id"], hook["language"], hook["entry"], hook["pass_filenames"]) == \
        ("yipin-check", "python", "yipin check", False)
    assert re.search(hook["files"], "content/cases/x.yaml") and not re.search(hook["files"], "docs/guide/index.md")
    (local,) = load_config(str(site_repo / ".pre-commit-config.yaml"))["repos"][0]["hooks"]   # what init writes
    assert (local["id"], local["entry"], local["files"]) == ("yipin-check", hook["entry"], hook["files"])
    assert local["language"] in {"system", "unsupported"}   # pre-commit 4.4 reads `system` as its new name
    result = run(hook["entry"], site_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "检查通过" in result.stderr
