"""The lock files (requirements/*.txt) agree with pyproject.toml's ranges and with each other.

``scripts/setup`` installs requirements/runtime.txt, ``scripts/test`` and CI install
requirements/dev.txt; ``scripts/lock`` rewrites both. This test fails when pyproject.toml
gains or changes a dependency and the lock files were not rewritten.
"""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from .support import REPO_ROOT

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def read_lock(name: str) -> dict[str, Version]:
    """``{normalised name: pinned version}`` of a lock file; every pin must carry hashes."""
    text = (REPO_ROOT / "requirements" / name).read_text(encoding="utf-8")
    pins: dict[str, Version] = {}
    for block in re.split(r"\n(?=\S)", text):
        match = PIN.match(block)
        if match is None:
            assert block.startswith("#") or not block.strip(), f"{name}: unexpected {block!r}"
            continue
        assert "--hash=sha256:" in block, f"{name}: {match.group(1)} has no hash"
        pins[canonicalize_name(match.group(1))] = Version(match.group(2))
    return pins


def project() -> dict[str, list[str]]:
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {
        "runtime": data["project"]["dependencies"],
        "dev": data["project"]["optional-dependencies"]["dev"],
    }


@pytest.mark.parametrize(
    ("lock", "groups"), [("runtime.txt", ["runtime"]), ("dev.txt", ["runtime", "dev"])]
)
def test_lock_pins_every_dependency_within_its_range(lock: str, groups: list[str]) -> None:
    pins = read_lock(lock)
    for group in groups:
        for line in project()[group]:
            requirement = Requirement(line)
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{lock} lacks {name}: run scripts/lock"
            assert requirement.specifier.contains(pins[name], prereleases=True), (
                f"{lock} pins {name}=={pins[name]} outside {requirement.specifier}: "
                "run scripts/lock"
            )
            assert requirement.specifier, f"pyproject.toml: {line!r} needs a version range"


def test_runtime_and_dev_locks_agree() -> None:
    runtime, dev = read_lock("runtime.txt"), read_lock("dev.txt")
    assert runtime, "empty runtime lock"
    different = {n: (v, dev.get(n)) for n, v in runtime.items() if dev.get(n) != v}
    assert different == {}


def test_ranges_are_compatible_not_exact() -> None:
    for group in project().values():
        for line in group:
            operators = {spec.operator for spec in Requirement(line).specifier}
            assert "==" not in operators and operators & {">=", "~="}, line
            assert "<" in operators or "~=" in operators, f"{line}: no upper bound"


def test_setup_and_test_scripts_install_the_lock_files() -> None:
    setup = (REPO_ROOT / "scripts" / "setup").read_text(encoding="utf-8")
    test = (REPO_ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements/runtime.txt" in setup
    assert "[dev]" not in setup and "apt-get" not in setup
    assert "--require-hashes -r requirements/dev.txt" in test
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().endswith("scripts/setup\nscripts/test")
