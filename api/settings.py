"""careergraph settings, read from environment variables (pydantic-settings).

| env var | default | meaning |
|---|---|---|
| ``CAREERGRAPH_BACKEND`` | ``memory`` | ``memory`` (networkx) or ``neo4j`` |
| ``CAREERGRAPH_ONET_DIR`` | see ``resolve_onet_source`` | release folder or zip |
| ``CAREERGRAPH_ONET_RELEASE`` | ``29.3`` | release fetched / expected |
| ``CAREERGRAPH_BLS_DIR`` | ``../shared/data/bls`` if present | BLS EP + OEWS workbooks |
| ``CAREERGRAPH_CAREER_CHANGERS_DIR`` | ``../shared/data/onet/db_25_1_tsv`` | O*NET 25.1 |
| ``CAREERGRAPH_TRANSITIONS_DIR`` | ``../shared/data/transitions`` | observed moves, crosswalks |
| ``CAREERGRAPH_ONET_SOC2010_DIR`` | ``../shared/data/onet/db_23_soc2010`` | older Skills.xlsx |
| ``CAREERGRAPH_TASKS_DIR`` | ``../shared/data/onet/db_30_1_tasks`` | O*NET 30.1 tasks |
| ``CAREERGRAPH_CACHE_DIR`` | ``~/.cache/careergraph`` | downloads and snapshots |
| ``CAREERGRAPH_ONET_DOWNLOAD_URL`` | O*NET Resource Center | base URL of release files |
| ``CAREERGRAPH_DOWNLOAD_MIRROR`` | none | fetch from ``<mirror>/<host>/<path>`` |
| ``CAREERGRAPH_HTTP_USER_AGENT`` | ``careergraph/<version>`` | User-Agent of downloads |
| ``CAREERGRAPH_CORS_ORIGINS`` | none (CORS off) | origins allowed to call the API |
| ``CAREERGRAPH_HTTP_MAX_AGE_S`` | ``3600`` | ``Cache-Control: max-age`` of data answers |
| ``CAREERGRAPH_CONFIG_DIR`` | ``~/.config/careergraph`` | the snapshot key (owner-only) |
| ``NEO4J_BOLT_PORT`` / ``NEO4J_HTTP_PORT`` | ``7687`` / ``7474`` | ports of the local server |
| ``NEO4J_URI`` | ``bolt://127.0.0.1:$NEO4J_BOLT_PORT`` | Bolt address (e.g. Aura) |
| ``NEO4J_HTTP_URL`` | ``http://127.0.0.1:$NEO4J_HTTP_PORT`` | Neo4j Browser base URL |
| ``NEO4J_USERNAME`` (or ``NEO4J_USER``) | ``neo4j`` | user name |
| ``NEO4J_PASSWORD`` | read from the password file | password |
| ``CAREERGRAPH_NEO4J_HOME`` | ``<repo>/.neo4j`` | local server; its ``password`` file |
| ``NEO4J_AUTH_FILE`` | none | ``user/password`` file (Docker secret) |
| ``NEO4J_DATABASE`` | ``neo4j`` | database name |
| ``CAREERGRAPH_QUERY_TIMEOUT_S`` | ``30`` | server-side timeout of one Neo4j query, s |
| ``CAREERGRAPH_REQUEST_DEADLINE_S`` | ``1.5`` | HTTP API: time budget of one request, s |
| ``CAREERGRAPH_MAX_CONCURRENT_QUERIES`` | memory 1, neo4j 4 | HTTP API: store calls at once |

The data folders (O*NET release, BLS, Career Changers, transitions, SOC 2010 skills,
tasks) default to what ``careergraph data fetch`` put in the cache folder
(:mod:`loaders.data_sources`), else to the development workspace's ``../shared/data``.

The local server (``scripts/neo4j``) and the app read the same port variables, so one
setting moves both. The password is never a default: ``scripts/neo4j install`` generates a
random one into ``$CAREERGRAPH_NEO4J_HOME/password`` (mode 0600), which the app reads unless
``NEO4J_PASSWORD`` (or ``NEO4J_AUTH_FILE``) is set.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Literal, Self
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from careergraph.graph.errors import CareerGraphError
from careergraph.loaders.data_sources import (
    BLS_CACHE_DIR,
    CAREER_CHANGERS_CACHE_DIR,
    EP_WORKBOOK,
    OEWS_WORKBOOK,
    ONET_DATABASE_URL,
    ONET_SOC2010_CACHE_DIR,
    TASK_STATEMENTS,
    TASKS_CACHE_DIR,
    TRANSITIONS_CACHE_DIR,
    TRANSITIONS_EDGELIST,
    ReleaseSources,
    onet_release_path,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
SHARED_ONET_DIR = SHARED_DATA_DIR / "onet" / "db_29_3_tsv"
SHARED_BLS_DIR = SHARED_DATA_DIR / "bls"
SHARED_CAREER_CHANGERS_DIR = SHARED_DATA_DIR / "onet" / "db_25_1_tsv"
SHARED_TRANSITIONS_DIR = SHARED_DATA_DIR / "transitions"
SHARED_ONET_SOC2010_DIR = SHARED_DATA_DIR / "onet" / "db_23_soc2010"
SHARED_TASKS_DIR = SHARED_DATA_DIR / "onet" / "db_30_1_tasks"


def _first_with(folders: list[Path], *files: str) -> Path | None:
    """The first of ``folders`` that holds all ``files``, or None."""
    return next((f for f in folders if all((f / name).is_file() for name in files)), None)


PASSWORD_FILE_NAME = "password"
"""File in the Neo4j install folder holding the generated password (``scripts/neo4j``)."""
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def default_config_dir() -> Path:
    """``$XDG_CONFIG_HOME/careergraph``, else ``~/.config/careergraph``."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "careergraph"


class Settings(BaseSettings):
    """All runtime settings; every field reads the env var named in the module table."""

    model_config = SettingsConfigDict(env_prefix="CAREERGRAPH_", extra="ignore")

    backend: Literal["memory", "neo4j"] = "memory"
    onet_dir: Path | None = None
    onet_release: str = "29.3"
    bls_dir: Path | None = None
    career_changers_dir: Path | None = None
    transitions_dir: Path | None = None
    onet_soc2010_dir: Path | None = None
    tasks_dir: Path | None = None
    cache_dir: Path = Field(default_factory=lambda: Path.home() / ".cache" / "careergraph")
    onet_download_url: str = ONET_DATABASE_URL
    download_mirror: str | None = None
    http_user_agent: str = Field(
        default_factory=lambda: f"careergraph/{version('careergraph')} (career-path graph)"
    )
    cors_origins: Annotated[list[str], NoDecode] = []
    http_max_age_s: int = Field(default=3600, ge=0)
    config_dir: Path = Field(default_factory=default_config_dir)
    neo4j_bolt_port: int = Field(
        default=7687, ge=1, le=65535, validation_alias=AliasChoices("NEO4J_BOLT_PORT")
    )
    neo4j_http_port: int = Field(
        default=7474, ge=1, le=65535, validation_alias=AliasChoices("NEO4J_HTTP_PORT")
    )
    neo4j_uri: str = Field(default="", validation_alias=AliasChoices("NEO4J_URI"))
    """Empty: ``bolt://127.0.0.1:<neo4j_bolt_port>`` (filled in by validation)."""
    neo4j_http_url: str = Field(default="", validation_alias=AliasChoices("NEO4J_HTTP_URL"))
    """Empty: ``http://127.0.0.1:<neo4j_http_port>`` (filled in by validation)."""
    neo4j_user: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_USERNAME", "NEO4J_USER")
    )
    neo4j_password: str = Field(
        default="", repr=False, validation_alias=AliasChoices("NEO4J_PASSWORD")
    )
    """Empty: read from ``NEO4J_AUTH_FILE`` or :attr:`neo4j_password_file` by validation;
    still empty if neither exists."""
    neo4j_password_source: str = Field(default="", exclude=True)
    """Where the password came from (``NEO4J_PASSWORD`` or a file path), for messages."""
    neo4j_auth_file: Path | None = Field(
        default=None, validation_alias=AliasChoices("NEO4J_AUTH_FILE")
    )
    neo4j_home: Path = Field(
        default=REPO_ROOT / ".neo4j", validation_alias=AliasChoices("CAREERGRAPH_NEO4J_HOME")
    )
    neo4j_database: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE"))
    query_timeout_s: float = 30.0
    request_deadline_s: float = Field(default=1.5, gt=0)
    """HTTP API: a request not answered within this many seconds (waiting for a free slot
    included) gets a 503 ``deadline_exceeded`` at once, and its work stops."""
    max_concurrent_queries: int | None = Field(default=None, ge=1)
    """HTTP API: store calls run at once; None = by backend (``api.deps``)."""

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """``CAREERGRAPH_CORS_ORIGINS`` is a comma-separated list of origins."""
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    def onet_base_url(self) -> str | None:
        """``CAREERGRAPH_ONET_DOWNLOAD_URL`` if set explicitly, else None (then the mirror,
        if any, or the official address is used)."""
        return self.onet_download_url if "onet_download_url" in self.model_fields_set else None

    @property
    def neo4j_password_file(self) -> Path:
        """The password file ``scripts/neo4j install`` writes (mode 0600)."""
        return self.neo4j_home / PASSWORD_FILE_NAME

    @property
    def snapshot_key_file(self) -> Path:
        """The per-install key authenticating memory snapshots (mode 0600)."""
        return self.config_dir / "snapshot.key"

    @property
    def log_file(self) -> Path:
        """Where the CLI logs warnings and driver messages: ``<cache>/logs/careergraph.log``."""
        return self.cache_dir / "logs" / "careergraph.log"

    @model_validator(mode="after")
    def _derive_neo4j_settings(self) -> Self:
        """Derive the URLs from the ports, refuse a local NEO4J_URI that contradicts
        NEO4J_BOLT_PORT, and read the password from its file when not given."""
        if not self.neo4j_uri:
            self.neo4j_uri = f"bolt://127.0.0.1:{self.neo4j_bolt_port}"
        elif "neo4j_bolt_port" in self.model_fields_set:
            parts = urlsplit(self.neo4j_uri)
            if parts.hostname in LOOPBACK_HOSTS and parts.port not in (None, self.neo4j_bolt_port):
                raise ValueError(
                    f"NEO4J_URI ({self.neo4j_uri}) and NEO4J_BOLT_PORT ({self.neo4j_bolt_port}) "
                    "name different local servers: unset NEO4J_URI (it follows the port) or "
                    "make them agree"
                )
        if not self.neo4j_http_url:
            self.neo4j_http_url = f"http://127.0.0.1:{self.neo4j_http_port}"
        if self.neo4j_password:
            self.neo4j_password_source = "NEO4J_PASSWORD"
        elif self.neo4j_auth_file is not None:
            user, _, password = _read_secret(self.neo4j_auth_file).partition("/")
            if user and password:
                self.neo4j_user, self.neo4j_password = user, password
                self.neo4j_password_source = str(self.neo4j_auth_file)
        else:
            self.neo4j_password = _read_secret(self.neo4j_password_file)
            self.neo4j_password_source = str(self.neo4j_password_file)
        return self

    def release_zip_path(self, release: str | None = None) -> Path:
        """Cache location of a fetched release zip, e.g. ``.../onet/db_29_3_text.zip``."""
        return self.cache_dir / onet_release_path(release or self.onet_release)

    def resolve_onet_source(self) -> Path | None:
        """Where to read O*NET from: ``CAREERGRAPH_ONET_DIR``, else the fetched release in
        the cache, else the project's shared data folder (development); None if none."""
        if self.onet_dir is not None:
            return self.onet_dir
        cached = self.release_zip_path()
        if cached.exists():
            return cached
        if SHARED_ONET_DIR.exists():
            return SHARED_ONET_DIR
        return None

    def resolve_bls_dir(self) -> Path | None:
        """``CAREERGRAPH_BLS_DIR``, else the fetched workbooks in the cache, else the shared
        data folder if present, else None."""
        if self.bls_dir is not None:
            return self.bls_dir
        cached = self.cache_dir / BLS_CACHE_DIR
        return _first_with([cached, SHARED_BLS_DIR], EP_WORKBOOK, OEWS_WORKBOOK)

    def resolve_career_changers_dir(self) -> Path | None:
        """``CAREERGRAPH_CAREER_CHANGERS_DIR``, else the fetched matrix in the cache, else
        the shared folder if present, else None."""
        if self.career_changers_dir is not None:
            return self.career_changers_dir
        cached = self.cache_dir / CAREER_CHANGERS_CACHE_DIR
        if (cached / "Career Changers Matrix.xlsx").is_file():
            return cached
        return SHARED_CAREER_CHANGERS_DIR if SHARED_CAREER_CHANGERS_DIR.exists() else None

    def resolve_transitions_dir(self) -> Path | None:
        """``CAREERGRAPH_TRANSITIONS_DIR`` (laid out like ``shared/data/transitions``), else
        the fetched folder in the cache, else the shared folder if present, else None."""
        if self.transitions_dir is not None:
            return self.transitions_dir
        folders = [self.cache_dir / TRANSITIONS_CACHE_DIR, SHARED_TRANSITIONS_DIR]
        return _first_with(folders, TRANSITIONS_EDGELIST)

    def resolve_onet_soc2010_dir(self) -> Path | None:
        """``CAREERGRAPH_ONET_SOC2010_DIR`` (older ``Skills.xlsx``), else the cache, else
        the shared folder if present, else None."""
        if self.onet_soc2010_dir is not None:
            return self.onet_soc2010_dir
        folders = [self.cache_dir / ONET_SOC2010_CACHE_DIR, SHARED_ONET_SOC2010_DIR]
        return _first_with(folders, "Skills.xlsx")

    def resolve_tasks_dir(self) -> Path | None:
        """``CAREERGRAPH_TASKS_DIR`` (O*NET 30.1 ``Task Statements.txt``), else the cache,
        else the shared folder if present, else None."""
        if self.tasks_dir is not None:
            return self.tasks_dir
        return _first_with([self.cache_dir / TASKS_CACHE_DIR, SHARED_TASKS_DIR], TASK_STATEMENTS)

    def release_sources(self, onet: Path | None = None) -> ReleaseSources:
        """Every source of the graph (:class:`loaders.data_sources.ReleaseSources`): ``onet`` or
        the configured O*NET release, and each optional source that is configured or present.

        Raises
        ------
        CareerGraphError
            No O*NET release is configured, cached or present.
        """
        source = onet or self.resolve_onet_source()
        if source is None:
            raise CareerGraphError(
                "no O*NET release found: run `careergraph data fetch` or set CAREERGRAPH_ONET_DIR"
            )
        return ReleaseSources(
            onet=source,
            bls_dir=self.resolve_bls_dir(),
            career_changers_dir=self.resolve_career_changers_dir(),
            transitions_dir=self.resolve_transitions_dir(),
            onet_soc2010_dir=self.resolve_onet_soc2010_dir(),
            tasks_dir=self.resolve_tasks_dir(),
        )


def _read_secret(path: Path) -> str:
    """The first line of a secret file, or "" if it cannot be read."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return lines[0].strip() if lines else ""


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    return Settings()
