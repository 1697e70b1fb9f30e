"""The built wheel, installed as a user would, outside the repository.

The wheel is built from a fresh copy of the checkout (``pip wheel``, setuptools from the
registry in pip's build isolation), installed into a new virtualenv in ``tmp_path`` (the
runtime lock with ``--require-hashes``, then the wheel with ``--no-deps``) and run there
with the repository nowhere on ``sys.path``: ``careergraph --version``, a real ``careergraph
path`` on the O*NET 29.3 data of the shared data folder, the Cypher files read as package
data. Its modules live under ``careergraph`` only: ``import graph`` (and ``api``,
``loaders``, ``cypher``) fails in that venv.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from tests.integration.test_fresh_install import copy_checkout
from tests.unit.support import REPO_ROOT, shared_data_dir

SOURCE, TARGET = "Software Developers", "Computer and Information Systems Managers"


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


def pyproject_version() -> str:
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    version: str = pyproject["project"]["version"]
    return version


def test_built_wheel_runs_a_path_query_outside_the_repository(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    copy_checkout(checkout)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "LANG": "C.UTF-8",
        # the registry's downloads, shared to save time (as tests/integration/test_fresh_install)
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip")),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "NO_COLOR": "1",
        "COLUMNS": "220",
    }  # no PYTHONPATH, no CAREERGRAPH_* settings of the developer
    wheels = tmp_path / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(wheels), "."], checkout, env)
    (wheel,) = wheels.glob("careergraph-*.whl")

    # every file of the package folders is in the wheel, under careergraph/
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = {
        f"careergraph/{path.relative_to(checkout / folder).as_posix()}"
        if folder == "src/careergraph"
        else f"careergraph/{path.relative_to(checkout).as_posix()}"
        for folder in ("src/careergraph", "graph", "api", "loaders", "cypher")
        for path in (checkout / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert expected <= names, sorted(expected - names)
    version = pyproject_version()
    assert {n.split("/")[0] for n in names} == {"careergraph", f"careergraph-{version}.dist-info"}

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path, env)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    run(
        [*pip, "--require-hashes", "-r", str(REPO_ROOT / "requirements" / "runtime.txt")],
        tmp_path,
        env,
    )
    run([*pip, "--no-deps", str(wheel)], tmp_path, env)

    work = tmp_path / "work"  # the user's folder: no repository files in it
    work.mkdir()
    careergraph = str(venv / "bin" / "careergraph")
    python = str(venv / "bin" / "python")
    shown = run([careergraph, "--version"], work, env).stdout
    assert shown.strip() == f"careergraph {version}"

    for old_name in ("graph", "api", "loaders", "cypher"):
        done = subprocess.run(
            [python, "-c", f"import {old_name}"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1 and "ModuleNotFoundError" in done.stderr, old_name
    probe = run(
        [
            python,
            "-c",
            "import careergraph.api.browser as b, careergraph.graph as g; "
            "print(g.__file__); print(len(b.saved_query_names()))",
        ],
        work,
        env,
    ).stdout.split()
    assert Path(probe[0]).is_relative_to(venv)  # the installed copy, not the repository
    assert int(probe[1]) == len(list((REPO_ROOT / "cypher" / "queries").glob("*.cypher")))

    onet = shared_data_dir() / "onet" / "db_29_3_tsv"
    run_env = dict(env, CAREERGRAPH_ONET_DIR=str(onet), CAREERGRAPH_CACHE_DIR=str(tmp_path / "c"))
    route = run([careergraph, "path", SOURCE, TARGET], work, run_env).stdout
    assert "Route 1:" in route, route
    assert f"-> 11-3021.00 {TARGET}" in route, route
    assert "O*NET 29.3 Database" in route.replace("\n", " ")

    # the wheel has no Neo4j installer: one clear line, exit 1, no traceback
    done = subprocess.run(
        [careergraph, "neo4j", "start"], cwd=work, env=env, capture_output=True, text=True
    )
    assert done.returncode == 1, done
    assert "scripts/neo4j" in done.stderr and "NEO4J_URI" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
