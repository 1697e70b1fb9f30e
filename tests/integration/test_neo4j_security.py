"""The local Neo4j as `scripts/neo4j` installs it is locked down (docs/neo4j.md, Security).

* A fresh install has no known password: a random one in ``<home>/password`` (mode 0600,
  folder 0700), never on a command line, different for every install.
* The running server (the one `scripts/test` starts with the same script) answers a CORS
  preflight from another origin without allowing it, loads only the APOC functions the
  project uses (``apoc.load.json`` does not exist), refuses LOAD CSV from URLs and files,
  and rejects the old published default password.
* A server first started with that old default is moved to a generated password by
  ``start``; ``careergraph neo4j status`` says where the password is.
"""

from __future__ import annotations

import re
import stat
import subprocess
from pathlib import Path
from typing import Any

import httpx
import neo4j
import pytest
from neo4j.exceptions import AuthError, ClientError

from careergraph.api.settings import PASSWORD_FILE_NAME, REPO_ROOT, Settings
from tests.api.support import NEO4J_SCRIPT, PrivateNeo4j, careergraph_command, free_port

LEGACY_PASSWORD = "careergraph-dev"
EVIL_ORIGIN = "http://evil.example"


def _private_server(home: Path) -> PrivateNeo4j:
    bolt = free_port()
    http = free_port()
    while http == bolt:
        http = free_port()
    server = PrivateNeo4j(home, bolt, http)
    server.reuse_installed_jars()
    return server


def _script(server: PrivateNeo4j, action: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in server.env.items() if k != "NEO4J_PASSWORD"} | env
    return subprocess.run(
        [str(NEO4J_SCRIPT), action],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _fake_java(folder: Path) -> tuple[Path, Path]:
    """A JAVA_HOME whose ``bin/java`` records its arguments, then runs the real java."""
    real = subprocess.run(
        ["bash", "-c", "command -v java"], capture_output=True, text=True, check=True
    ).stdout.strip()
    log = folder / "argv.log"
    java = folder / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text(f'#!/bin/sh\necho "$@" >>"{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    java.chmod(0o755)
    return folder, log


def test_fresh_install_has_a_random_owner_only_password(tmp_path: Path) -> None:
    java_home, argv_log = _fake_java(tmp_path / "java")
    passwords = []
    for name in ("one", "two"):
        server = _private_server(tmp_path / name)
        done = _script(server, "install", JAVA_HOME=str(java_home))
        assert done.returncode == 0, done.stdout + done.stderr
        password_file = server.home / PASSWORD_FILE_NAME
        assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(server.home.stat().st_mode) == 0o700
        password = password_file.read_text(encoding="utf-8").strip()
        assert re.fullmatch(r"[0-9a-f]{48}", password), "192 random bits, hex"
        assert (server.home / "data" / "dbms" / "auth.ini").is_file()  # the initial password
        passwords.append(password)
        # never on a command line, nor in the install's output and logs
        assert password not in argv_log.read_text(encoding="utf-8")
        assert "set-initial-password @" in argv_log.read_text(encoding="utf-8")
        assert password not in done.stdout + done.stderr
        for log in (server.home / "logs").iterdir():
            assert password not in log.read_text(encoding="utf-8", errors="replace")
        assert not list((server.home / "run").glob(".password-arg.*"))  # argument file gone
        conf = (server.home / "conf" / "neo4j.conf").read_text(encoding="utf-8")
        assert LEGACY_PASSWORD not in conf
        assert (
            f"dbms.security.http_access_control_allow_origin=http://127.0.0.1:{server.http_port}"
            in conf
        )
        assert "dbms.security.procedures.unrestricted" not in conf
        apoc = (server.home / "conf" / "apoc.conf").read_text(encoding="utf-8")
        assert "apoc.import.file.enabled=false" in apoc
    assert passwords[0] != passwords[1]
    assert (
        LEGACY_PASSWORD
        not in (REPO_ROOT / "scripts" / "neo4j").read_text().split("readonly LEGACY_PASSWORD=")[0]
    )


def test_install_with_neo4j_password_stores_nothing(tmp_path: Path) -> None:
    server = _private_server(tmp_path / "home")
    done = _script(server, "install", NEO4J_PASSWORD="chosen-by-the-user")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (server.home / PASSWORD_FILE_NAME).exists()
    short = _script(_private_server(tmp_path / "short"), "install", NEO4J_PASSWORD="short")
    assert short.returncode == 1 and "at least 8 characters" in short.stderr


def test_neo4j_status_says_where_the_password_is(tmp_path: Path) -> None:
    server = _private_server(tmp_path / "home")
    assert _script(server, "install").returncode == 0
    environment = {k: v for k, v in server.env.items() if k != "NEO4J_PASSWORD"}
    done = subprocess.run(
        [*careergraph_command(), "neo4j", "status"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 3, done.stdout + done.stderr  # installed, not running
    assert f"password: {server.home / PASSWORD_FILE_NAME} (owner-only" in done.stdout
    with_env = subprocess.run(
        [*careergraph_command(), "neo4j", "status"],
        env=environment | {"NEO4J_PASSWORD": "from-the-environment"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "password: NEO4J_PASSWORD (environment)" in with_env.stdout
    assert "from-the-environment" not in with_env.stdout


# -- the running server ----------------------------------------------------------------


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings()


def test_cors_preflight_from_another_origin_is_not_allowed(settings: Settings) -> None:
    own_origin = settings.neo4j_http_url
    for path in ("/db/neo4j/tx/commit", "/db/neo4j/query/v2", "/"):
        response = httpx.options(
            f"{own_origin}{path}",
            headers={
                "Origin": EVIL_ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        allowed = response.headers.get("access-control-allow-origin")
        # Neo4j names its one allowed origin (its own Browser), never '*' or the caller
        assert allowed in (None, own_origin), (path, allowed)


def test_cross_origin_cypher_without_the_password_is_refused(settings: Settings) -> None:
    response = httpx.post(
        f"{settings.neo4j_http_url}/db/neo4j/tx/commit",
        json={"statements": [{"statement": "RETURN 1"}]},
        headers={"Origin": EVIL_ORIGIN},
    )
    assert response.status_code == 401


def _run(settings: Settings, query: str) -> list[dict[str, Any]]:
    auth = (settings.neo4j_user, settings.neo4j_password)
    with neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        return [r.data() for r in driver.execute_query(query).records]


@pytest.mark.parametrize(
    "query",
    [
        "CALL apoc.load.json($url) YIELD value RETURN value",
        "CALL apoc.load.jsonParams($url, {}, null) YIELD value RETURN value",
        "CALL apoc.import.csv([{fileName: $url, labels: ['X']}], [], {})",
        "LOAD CSV FROM $url AS row RETURN row",
        "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    ],
)
def test_file_and_url_loading_is_refused(settings: Settings, query: str) -> None:
    auth = (settings.neo4j_user, settings.neo4j_password)
    with (
        neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver,
        pytest.raises(ClientError) as refused,
    ):
        driver.execute_query(query, url=f"{settings.neo4j_http_url}/")
    code = refused.value.code or ""
    assert code.endswith(("Procedure.ProcedureNotFound", "Statement.ExternalResourceFailed")), code


def _apoc_allowlist() -> set[str]:
    script = NEO4J_SCRIPT.read_text(encoding="utf-8")
    match = re.search(r"^readonly APOC_ALLOWLIST=(\S+)$", script, re.MULTILINE)
    assert match
    return set(match.group(1).split(","))


def test_only_the_apoc_the_project_uses_is_loaded(settings: Settings) -> None:
    used = set()
    for file in (REPO_ROOT / "cypher").rglob("*.cypher"):
        text = "\n".join(
            line for line in file.read_text(encoding="utf-8").splitlines() if "//" not in line
        )
        used |= set(re.findall(r"\bapoc(?:\.\w+)+", text))
    assert used <= _apoc_allowlist(), f"add {used - _apoc_allowlist()} to APOC_ALLOWLIST"
    loaded = _run(
        settings,
        "SHOW FUNCTIONS YIELD name WHERE name STARTS WITH 'apoc.' RETURN collect(name) AS f",
    )[0]["f"]
    procedures = _run(
        settings,
        "SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'apoc.' RETURN collect(name) AS p",
    )[0]["p"]
    assert set(loaded) | set(procedures) == _apoc_allowlist()
    similarity = _run(settings, "RETURN apoc.text.levenshteinSimilarity('abc', 'abd') AS s")
    assert similarity == [{"s": pytest.approx(2 / 3)}]


def test_the_old_default_password_is_refused(settings: Settings) -> None:
    with (
        neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=("neo4j", LEGACY_PASSWORD)) as d,
        pytest.raises(AuthError),
    ):
        d.verify_connectivity()
    assert _run(settings, "RETURN 1 AS one") == [{"one": 1}]  # and the right one works


def test_start_moves_an_old_default_password_to_a_generated_one(tmp_path: Path) -> None:
    """A server first started by the previous script (NEO4J_PASSWORD defaulted to the
    published 'careergraph-dev'): the next `start` without NEO4J_PASSWORD generates a
    password file and changes the server's password to it."""
    server = _private_server(tmp_path / "home")
    try:
        first = _script(server, "start", NEO4J_PASSWORD=LEGACY_PASSWORD)
        assert first.returncode == 0, first.stdout + first.stderr
        assert _script(server, "stop", NEO4J_STOP_TIMEOUT="5").returncode == 0
        assert not (server.home / PASSWORD_FILE_NAME).exists()

        second = _script(server, "start")
        assert second.returncode == 0, second.stdout + second.stderr
        assert "replaced the old published default password" in second.stdout
        password = (server.home / PASSWORD_FILE_NAME).read_text(encoding="utf-8").strip()
        uri = f"bolt://127.0.0.1:{server.bolt_port}"
        with neo4j.GraphDatabase.driver(uri, auth=("neo4j", password)) as driver:
            driver.verify_connectivity()
        with (
            neo4j.GraphDatabase.driver(uri, auth=("neo4j", LEGACY_PASSWORD)) as driver,
            pytest.raises(AuthError),
        ):
            driver.verify_connectivity()
    finally:
        _script(server, "stop", NEO4J_STOP_TIMEOUT="2")
        server.remove()
