"""Neo4j settings: one set of variables moves the server and the app; the password comes
from NEO4J_PASSWORD, a Docker-style auth file or the file scripts/neo4j generates."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from careergraph.api.settings import PASSWORD_FILE_NAME, Settings

NEO4J_VARIABLES = (
    "NEO4J_URI",
    "NEO4J_HTTP_URL",
    "NEO4J_BOLT_PORT",
    "NEO4J_HTTP_PORT",
    "NEO4J_USER",
    "NEO4J_USERNAME",
    "NEO4J_PASSWORD",
    "NEO4J_AUTH_FILE",
    "CAREERGRAPH_NEO4J_HOME",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in NEO4J_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CAREERGRAPH_NEO4J_HOME", str(tmp_path / "neo4j-home"))
    return monkeypatch


def test_ports_move_the_app_too(clean_env: pytest.MonkeyPatch) -> None:
    settings = Settings()
    assert (settings.neo4j_uri, settings.neo4j_http_url) == (
        "bolt://127.0.0.1:7687",
        "http://127.0.0.1:7474",
    )
    clean_env.setenv("NEO4J_BOLT_PORT", "7731")
    clean_env.setenv("NEO4J_HTTP_PORT", "7732")
    settings = Settings()
    assert (settings.neo4j_uri, settings.neo4j_http_url) == (
        "bolt://127.0.0.1:7731",
        "http://127.0.0.1:7732",
    )


def test_an_explicit_uri_wins_but_may_not_contradict_the_local_port(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("NEO4J_URI", "neo4j+s://abc.databases.neo4j.io")
    clean_env.setenv("NEO4J_BOLT_PORT", "7731")
    assert Settings().neo4j_uri == "neo4j+s://abc.databases.neo4j.io"  # Aura: no local port
    clean_env.setenv("NEO4J_URI", "bolt://127.0.0.1:7731")
    assert Settings().neo4j_uri == "bolt://127.0.0.1:7731"
    clean_env.setenv("NEO4J_URI", "bolt://localhost:7687")
    with pytest.raises(ValidationError, match="name different local servers"):
        Settings()


def test_neo4j_username_is_accepted(clean_env: pytest.MonkeyPatch) -> None:
    assert Settings().neo4j_user == "neo4j"
    clean_env.setenv("NEO4J_USER", "old-name")
    assert Settings().neo4j_user == "old-name"
    clean_env.setenv("NEO4J_USERNAME", "aura-name")
    assert Settings().neo4j_user == "aura-name"


def test_password_from_file_env_or_auth_file(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = Settings()
    assert settings.neo4j_password == ""  # no default password
    home = tmp_path / "neo4j-home"
    home.mkdir()
    (home / PASSWORD_FILE_NAME).write_text("generated-secret\n", encoding="utf-8")
    settings = Settings()
    assert settings.neo4j_password == "generated-secret"
    assert settings.neo4j_password_source == str(home / PASSWORD_FILE_NAME)
    assert "generated-secret" not in repr(settings)

    auth_file = tmp_path / "neo4j_auth"
    auth_file.write_text("reader/pass/with/slashes\n", encoding="utf-8")
    clean_env.setenv("NEO4J_AUTH_FILE", str(auth_file))
    settings = Settings()
    assert (settings.neo4j_user, settings.neo4j_password) == ("reader", "pass/with/slashes")

    clean_env.setenv("NEO4J_PASSWORD", "from-the-environment")
    settings = Settings()
    assert settings.neo4j_password == "from-the-environment"
    assert settings.neo4j_password_source == "NEO4J_PASSWORD"
