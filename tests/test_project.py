"""Project conventions that are easy to break silently."""

from __future__ import annotations

import ast
import difflib
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import material
import pytest
from conftest import REPO
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name


def test_ci_runs_exactly_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    test_command = next(b for b in blocks if "pytest" in b)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == test_command


def test_readme_opens_with_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("---")]
    assert ".venv/bin/python -m mkdocs build --strict" in head and ".venv/bin/python -m pytest" in head
    # the commands install `delaftale` into .venv only: the README says where, and how to activate it
    assert "`.venv/bin/`" in head and "`. .venv/bin/activate`" in head


def _readme_commands() -> tuple[str, str]:
    """The README's two opening commands: build the site, run the tests."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head = re.findall(r"```sh\n(.*?)\n```", readme[: readme.index("---")], re.S)
    build = next(block for block in head if "mkdocs build" in block)
    test = next(block for block in head if "pytest" in block)
    return build, test


def test_both_readme_commands_install_the_pinned_versions():
    for command in _readme_commands():
        install = next(step for step in command.split(" && ") if "pip install" in step)
        assert install.startswith("PIP_CONSTRAINT=requirements/constraints.txt .venv/bin/python -m pip install -e ")


#: `python3 -m venv` needs ensurepip, which Debian and Ubuntu ship apart, in python3-venv; tested
#: like the other system packages, so it is installed only where it is missing
ENSUREPIP_STEP = ("(python3 -c 'import ensurepip' 2>/dev/null || (apt-get update -qq && "
                  "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv))")
#: the project's own .venv, reused while its Python runs and has pip (a half-made one, left by
#: `python3 -m venv` without ensurepip, is completed)
VENV_STEP = "(.venv/bin/python -m pip --version >/dev/null 2>&1 || python3 -m venv .venv)"


def test_both_readme_commands_make_and_use_their_own_venv():
    """Debian's and Ubuntu's python3 refuse `pip install` (externally-managed-environment): the
    commands use `python3` only to make .venv, and everything after through .venv/bin/."""
    for command in _readme_commands():
        assert f" && {ENSUREPIP_STEP} && {VENV_STEP} && " in command
        rest = command.split(f" && {VENV_STEP} && ")[1]
        assert "python3" not in rest, rest
        assert re.findall(r"\S*python\b", rest) == [".venv/bin/python"] * 2, rest


def _oldest_python() -> str:
    """The oldest Python that pyproject.toml's requires-python admits (">=3.11": 3.11)."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    (lowest,) = SpecifierSet(project["project"]["requires-python"])
    assert lowest.operator == ">=", lowest
    return lowest.version


def test_every_pin_installs_on_the_oldest_python_the_project_declares():
    """A pin whose own Requires-Python excludes part of requires-python makes both README commands
    stop there with "No matching distribution" (pymdown-extensions 13 needs 3.11.5; Debian 12's
    python3 is 3.11.2). Read from the installed packages (the constraints test holds them to the pins)."""
    oldest = _oldest_python()
    refused = {}
    for name, version in _constraints().items():
        if name == "setuptools":
            continue  # the build backend lives in pip's isolated build environment, not here
        dist = metadata.distribution(name)
        if dist.version == version and not SpecifierSet(dist.metadata.get("Requires-Python") or "").contains(oldest):
            refused[name] = f"{version} requires Python {dist.metadata['Requires-Python']}"
    assert not refused, f"pins that do not install on Python {oldest}: {refused}"


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        name, version = line.split("==")  # one exact pin a line: nothing else
        pins[canonicalize_name(name)] = version
    return pins


def _installed_closure(requirements: list[Requirement], extras: set[str] = frozenset()) -> dict[str, str]:
    """Every distribution the requirements pull in on this platform, with its installed version."""
    found: dict[str, str] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(r, set(extras)) for r in requirements]
    while todo:
        requirement, active_extras = todo.pop()
        if requirement.marker and not any(requirement.marker.evaluate({"extra": e}) for e in active_extras or {""}):
            continue
        name = canonicalize_name(requirement.name)
        if (name, frozenset(requirement.extras)) in seen:
            continue
        seen.add((name, frozenset(requirement.extras)))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            pytest.fail(f"{name} is not installed: install with the README's test command")
        found[name] = dist.version
        todo += [(Requirement(r), set(requirement.extras)) for r in dist.requires or []]
    return found


def test_the_constraints_pin_every_installed_dependency_at_its_installed_version():
    """requirements/constraints.txt is complete and current: whatever `pip install -e '.[test]'`
    brings in (transitively) is pinned, at the version that is installed, and nothing else is."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = [Requirement(r) for r in project["project"]["dependencies"]]
    wanted += [Requirement(r) for r in project["project"]["optional-dependencies"]["test"]]
    wanted += [Requirement(r) for r in project["build-system"]["requires"]]
    installed = _installed_closure(wanted[:-1])
    pins = _constraints()
    assert {name: pins.get(name) for name in installed} == installed
    assert set(pins) == set(installed) | {"setuptools"}, "pins of packages nothing installs"
    assert wanted[-1].specifier.contains(pins["setuptools"]), "the pinned build backend is outside build-system.requires"


def _imported_top_level_modules(folder: Path) -> set[str]:
    modules = set()
    for source in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level:
                modules.add(node.module.split(".")[0])
    return modules


def test_every_imported_package_is_declared():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {canonicalize_name(Requirement(r).name) for r in
                project["project"]["dependencies"] + project["project"]["optional-dependencies"]["test"]}
    own = {"generator"} | {path.stem for folder in ("tests", "bench") for path in (REPO / folder).glob("*.py")}
    distributions = metadata.packages_distributions()
    undeclared = {}
    for folder in ("generator", "tests", "bench"):
        for module in _imported_top_level_modules(REPO / folder) - set(sys.stdlib_module_names) - own:
            names = {canonicalize_name(d) for d in distributions.get(module, [module])}
            if not names & declared:
                undeclared[module] = f"{folder}/ imports it; pyproject.toml does not declare {sorted(names)}"
    assert not undeclared, undeclared
    assert {"markupsafe", "pydantic-core", "pyyaml", "cmarkgfm"} <= declared


#: the lines of Material's partial our copy leaves out (compared without indentation): its
#: header notice, and in the header Material's search button, replaced by our search form
REPLACED_THEME_LINES = {
    "header": [
        "This file was automatically generated - do not edit",
        '{% if "material/search" in config.plugins %}',
        '{% set search = config.plugins["material/search"] | attr("config") %}',
        "{% if search.enabled %}",
        '<label class="md-header__button md-icon" for="__search">',
        '{% set icon = config.theme.icon.search or "material/magnify" %}',
        '{% include ".icons/" ~ icon ~ ".svg" %}',
        "</label>",
        '{% include "partials/search.html" %}',
        "{% endif %}",
        "{% endif %}",
    ],
    "nav": ["This file was automatically generated - do not edit"],
}


@pytest.mark.parametrize("partial", sorted(REPLACED_THEME_LINES))
def test_copied_material_partials_match_the_installed_theme(partial):
    """site_overrides/partials/{header,nav}.html are Material's with one marked change: every other
    line of the installed theme's file is in the copy, in order. A Material release that changes
    the partial fails here (pyproject.toml bounds Material to the minor the copies come from)."""
    theme = Path(material.__file__).parent / "templates" / "partials" / f"{partial}.html"
    theirs = [line.strip() for line in theme.read_text(encoding="utf-8").splitlines()]
    copy = (REPO / "site_overrides" / "partials" / f"{partial}.html").read_text(encoding="utf-8")
    ours = [line.strip() for line in copy.splitlines()]
    left_out = [line[2:] for line in difflib.ndiff(theirs, ours) if line.startswith("- ")]
    assert left_out == REPLACED_THEME_LINES[partial]
    copied_from = re.search(r"Material (\d+\.\d+)'s partials/", copy).group(1)
    assert metadata.version("mkdocs-material").startswith(copied_from + ".")
