"""Project conventions that are easy to break silently."""

from __future__ import annotations

import ast
import difflib
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
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
ENSUREPIP_STEP = (
    "(python3 -c 'import ensurepip' 2>/dev/null || (apt-get update -qq && "
    "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv))"
)
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


#: Debian's own interpreter, which refuses `pip install` outside a virtual environment (PEP 668):
#: the README's commands must work with it as `python3`
DEBIAN_PYTHON = "/usr/bin/python3"
#: Debian's PATH for root: `python3` is Debian's, and no venv's or pyenv's bin/ comes first
DEBIAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#: seconds for a local `git clone` (about one here), with room for a loaded disk
CLONE_TIMEOUT = 120
#: seconds for one README command in a fresh clone: downloading and installing every pinned
#: package into a new .venv and building the bundled site took 35 s to 3 min here, depending on
#: the registry, the test command about a minute; 10 min leaves room for a slower registry and
#: still stops a hung install
FRESH_CLONE_TIMEOUT = 600


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory) -> Iterator[Path]:
    """A `git clone` of the committed HEAD into an empty folder, nothing beside it. Shared by the
    two tests below, so that the install of every package into its .venv happens once: the test
    command reuses the .venv the build command made, as it does for a reader who runs both."""
    root = tmp_path_factory.mktemp("frisk-klon") / "delaftaler"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(root)], check=True, timeout=CLONE_TIMEOUT)
    yield root
    shutil.rmtree(root)  # its .venv and node_modules are hundreds of MB: not kept in pytest's temp folders


def _in_a_stock_debian_shell(root: Path, command: str) -> subprocess.CompletedProcess:
    """`command` run by sh in `root` as on a stock Debian machine: `python3` is Debian's, no
    virtual environment is active and nothing points Python at another checkout."""
    assert shutil.which("python3", path=DEBIAN_PATH) == DEBIAN_PYTHON, f"{DEBIAN_PYTHON} is not Debian's python3 here"
    stdlib = subprocess.run(
        [DEBIAN_PYTHON, "-c", "import sysconfig; print(sysconfig.get_path('stdlib'))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=CLONE_TIMEOUT,
    ).stdout.strip()
    assert (Path(stdlib) / "EXTERNALLY-MANAGED").is_file(), (
        f"{DEBIAN_PYTHON} is not externally managed: not the issue's case"
    )
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = DEBIAN_PATH
    return subprocess.run(
        ["sh", "-c", command], cwd=root, env=env, capture_output=True, text=True, timeout=FRESH_CLONE_TIMEOUT
    )


def _output(result: subprocess.CompletedProcess) -> str:
    """The end of a command's output, enough to see why it stopped."""
    return f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"


@pytest.mark.slow  # clones and installs
@pytest.mark.timeout(CLONE_TIMEOUT + FRESH_CLONE_TIMEOUT)
def test_the_readme_build_command_builds_the_site_in_a_fresh_clone_with_debians_python(fresh_clone):
    build, _ = _readme_commands()
    result = _in_a_stock_debian_shell(fresh_clone, build)
    assert result.returncode == 0, _output(result)
    assert (fresh_clone / "site" / "index.html").is_file()
    # built by Debian's python3, through the venv the command made; `delaftale` is in its bin/
    assert "home = /usr/bin\n" in (fresh_clone / ".venv" / "pyvenv.cfg").read_text(encoding="utf-8")
    assert (fresh_clone / ".venv" / "bin" / "delaftale").is_file()


@pytest.mark.slow  # clones and installs
@pytest.mark.timeout(CLONE_TIMEOUT + FRESH_CLONE_TIMEOUT)
def test_the_readme_test_command_runs_the_tests_in_a_fresh_clone_with_debians_python(fresh_clone):
    _, test = _readme_commands()
    # Two quick files stand in for the suite, which this very run is; this file's fresh-clone
    # tests are deselected there, or each run would clone and install once more.
    # In one process (-n 0): pytest-xdist's summary leaves out the deselected count asserted below.
    selection = "tests/test_project.py tests/test_publishing.py -k 'not fresh_clone' -p no:cacheprovider -n 0"
    result = _in_a_stock_debian_shell(fresh_clone, f"{test} {selection}")
    assert result.returncode == 0, _output(result)
    debian_version = subprocess.run(
        [DEBIAN_PYTHON, "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=True,
        timeout=CLONE_TIMEOUT,
    ).stdout.strip()
    assert f"Python {debian_version}, pytest-" in result.stdout  # the tests ran on Debian's python, in .venv
    assert re.search(r"^=+ \d+ passed, \d+ deselected in ", result.stdout, re.M), _output(result)


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
    assert wanted[-1].specifier.contains(pins["setuptools"]), (
        "the pinned build backend is outside build-system.requires"
    )


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
    declared = {
        canonicalize_name(Requirement(r).name)
        for r in project["project"]["dependencies"] + project["project"]["optional-dependencies"]["test"]
    }
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


def test_the_readme_names_every_limit_with_its_value():
    """The README's table of limits (section *Limits*) says what the code applies."""
    import importlib
    import re
    from decimal import Decimal

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Limits", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| [^|]+ \| ([^|]+) \| `([\w.]+)` \|$", section, re.M)
    assert len(rows) >= 12
    for shown, name in rows:
        module, constant = name.rsplit(".", 1)
        value = getattr(importlib.import_module(f"generator.{module}"), constant)
        if isinstance(value, Decimal):
            assert shown.strip() == f"10^{value.adjusted()}", name
        else:
            assert str(value) in shown.replace(",", ""), (name, value, shown)
    coded = {
        f"{path.stem}.{m}"
        for path in (REPO / "generator").rglob("*.py")
        for m in re.findall(r"^(MAX_[A-Z_]+|[A-Z_]+_MARGIN_YEARS) *[:=]", path.read_text(encoding="utf-8"), re.M)
    }
    assert {name.rsplit(".", 2)[-2] + "." + name.rsplit(".", 1)[1] for _, name in rows} == coded
