"""The publishing pipelines (GitLab Pages, GitHub Pages) and the pre-commit hook run the README's
own commands, and publish only from the main branch."""

from __future__ import annotations

import re

import yaml
from conftest import REPO


def _readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def _publishing_steps() -> list[str]:
    """The command block of the README's "Publishing" section, one command a line."""
    section = _readme().split("\n## Publishing\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)\n```", section, re.S).group(1)
    return block.splitlines()


def _load(relative: str):
    return yaml.safe_load((REPO / relative).read_text(encoding="utf-8"))


def test_the_readme_publishing_steps_are_its_build_command_with_the_checks_around_it():
    """validate -> build -> address check, installed and built exactly as the README's build command."""
    build_command = re.search(r"```sh\n(.*?mkdocs build.*?)\n```", _readme()).group(1)
    install, build = build_command.split(" && ")[-2:]
    setup = build_command.removesuffix(f" && {install} && {build}")  # Debian libraries the PDFs need
    validate, check = (".venv/bin/delaftale validate", ".venv/bin/delaftale tjek-adresser")  # the command's venv
    assert _publishing_steps() == [setup, install, validate, build, check]


def _gitlab_jobs() -> dict[str, dict]:
    config = _load(".gitlab-ci.yml")
    return {name: job for name, job in config.items() if isinstance(job, dict) and "script" in job}


def test_gitlab_checks_merge_requests_and_publishes_only_the_main_branch():
    config = _load(".gitlab-ci.yml")
    assert config["image"].startswith("python:3.11")
    assert config["variables"]["DELAFTALER_SITE_URL"] == "$CI_PAGES_URL"
    jobs = _gitlab_jobs()
    steps = _publishing_steps()
    assert set(jobs) == {"check", "pages"}
    # merge requests: the README's steps, nothing published (only a job named `pages` publishes)
    assert jobs["check"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert jobs["check"]["script"] == steps
    # main: the same steps, then GitLab Pages publishes public/
    assert jobs["pages"]["rules"] == [{"if": '$CI_COMMIT_BRANCH == "main"'}]
    assert jobs["pages"]["script"] == [*steps, "mv site public"]
    assert jobs["pages"]["artifacts"]["paths"] == ["public/"]
    # only the published build insists on its public address
    assert jobs["pages"]["variables"] == {"DELAFTALER_PRODUKTION": "1"} and "variables" not in jobs["check"]


def test_the_pipelines_keep_the_pdf_cache_between_runs():
    gitlab = _load(".gitlab-ci.yml")["cache"]
    assert {"key": "delaftaler-pdf", "paths": [".cache/pdf"]} in gitlab
    steps = _github_workflow()["jobs"]["build"]["steps"]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/pdf" and cache["with"]["restore-keys"] == "delaftaler-pdf-"
    build = next(i for i, step in enumerate(steps) if "mkdocs build --strict" in step.get("run", ""))
    assert steps.index(cache) < build  # restored before the build, saved after the job


def _github_workflow() -> dict:
    workflow = _load(".github/workflows/pages.yml")
    workflow["on"] = workflow.pop(True)  # YAML 1.1 reads the key `on` as true
    return workflow


ON_MAIN = "github.event_name == 'push' && github.ref == 'refs/heads/main'"


def test_github_checks_pull_requests_and_deploys_only_the_main_branch():
    workflow = _github_workflow()
    assert workflow["on"] == {"push": {"branches": ["main"]}, "pull_request": None}
    assert workflow["permissions"] == {"contents": "read"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]

    runs = [step["run"] for step in build["steps"] if "run" in step]
    commands = [run for run in runs if not run.startswith("echo ")]
    assert commands == _publishing_steps()
    setup = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.11"

    # the public address: from configure-pages on main, GitHub's default project address otherwise
    address = next(step for step in build["steps"] if step.get("name") == "Public address")
    assert address["env"]["PAGES_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert address["run"] == 'echo "DELAFTALER_SITE_URL=${PAGES_URL:-$DEFAULT_URL}" >> "$GITHUB_ENV"'
    assert build["steps"].index(address) < next(
        i for i, step in enumerate(build["steps"]) if "run" in step and step["run"] == ".venv/bin/delaftale validate"
    )

    production = next(step for step in build["steps"] if step.get("name") == "Production build")
    assert production["if"] == ON_MAIN and production["run"] == 'echo "DELAFTALER_PRODUKTION=1" >> "$GITHUB_ENV"'

    # everything that touches Pages runs only for a push to main
    pages_steps = [
        step for step in build["steps"] if re.match(r"actions/(configure|upload)-pages", step.get("uses", ""))
    ]
    assert len(pages_steps) == 2 and all(step["if"] == ON_MAIN for step in pages_steps)
    assert deploy["if"] == ON_MAIN and deploy["needs"] == "build"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_the_pre_commit_hook_runs_delaftale_validate_on_the_whole_collection():
    validate = "delaftale validate"
    assert f".venv/bin/{validate}" in _publishing_steps()  # the README's venv, activated or not
    (hook,) = _load(".pre-commit-hooks.yaml")
    assert hook["id"] == "delaftale-validate" and hook["entry"] == validate
    assert hook["language"] == "python"  # pre-commit installs this repository, which provides `delaftale`
    assert hook["pass_filenames"] is False and re.match(hook["files"], "agreements/plan/x/2024-01-01.yaml")

    (local,) = _load(".pre-commit-config.yaml")["repos"]
    assert local["repo"] == "local"
    (own,) = local["hooks"]
    assert own["entry"] == f".venv/bin/{validate}" and own["language"] == "system" and own["id"] == hook["id"]

    # the README shows a plan's repository how to use the hook
    example = re.search(r"```yaml\n(repos:\n.*?)\n```", _readme(), re.S).group(1)
    (remote,) = yaml.safe_load(example)["repos"]
    assert remote["hooks"] == [{"id": hook["id"]}]
