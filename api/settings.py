"""careergraph settings, read from environment variables (pydantic-settings).

| env var | default | meaning |
|---|---|---|
| ``CAREERGRAPH_BACKEND`` | ``memory`` | ``memory`` (networkx) or ``neo4j`` |
| ``CAREERGRAPH_ONET_DIR`` | see ``resolve_onet_source`` | release folder or zip |
| ``CAREERGRAPH_ONET_RELEASE`` | ``29.3`` | release fetched / expected |
| ``CAREERGRAPH_BLS_DIR`` | ``../shared/data/bls`` if present | BLS EP + OEWS workbooks |
| ``CAREERGRAPH_CAREER_CHANGERS_DIR`` | ``../shared/data/onet/db_25_1_tsv`` | O*NET 25.1 |
| ``CAREERGRAPH_CACHE_DIR`` | ``~/.cache/careergraph`` | downloads and snapshots |
| ``CAREERGRAPH_ONET_DOWNLOAD_URL`` | O*NET Resource Center | base URL of release zips |
| ``NEO4J_URI`` | ``bolt://127.0.0.1:7687`` | Bolt address |
| ``NEO4J_USER`` / ``NEO4J_PASSWORD`` | ``neo4j`` / ``careergraph-dev`` | credentials |
| ``NEO4J_DATABASE`` | ``neo4j`` | database name |
| ``CAREERGRAPH_QUERY_TIMEOUT_S`` | ``30`` | server-side timeout of one Neo4j query, s |
| ``CAREERGRAPH_REQUEST_DEADLINE_S`` | ``1.5`` | HTTP API: time budget of one request, s |
| ``CAREERGRAPH_MAX_CONCURRENT_QUERIES`` | memory 1, neo4j 4 | HTTP API: store calls at once |
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
SHARED_ONET_DIR = SHARED_DATA_DIR / "onet" / "db_29_3_tsv"
SHARED_BLS_DIR = SHARED_DATA_DIR / "bls"
SHARED_CAREER_CHANGERS_DIR = SHARED_DATA_DIR / "onet" / "db_25_1_tsv"


class Settings(BaseSettings):
    """All runtime settings; every field reads the env var named in the module table."""

    model_config = SettingsConfigDict(env_prefix="CAREERGRAPH_", extra="ignore")

    backend: Literal["memory", "neo4j"] = "memory"
    onet_dir: Path | None = None
    onet_release: str = "29.3"
    bls_dir: Path | None = None
    career_changers_dir: Path | None = None
    cache_dir: Path = Field(default_factory=lambda: Path.home() / ".cache" / "careergraph")
    onet_download_url: str = "https://www.onetcenter.org/dl_files/database"
    neo4j_uri: str = Field(
        default="bolt://127.0.0.1:7687", validation_alias=AliasChoices("NEO4J_URI")
    )
    neo4j_user: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_USER"))
    neo4j_password: str = Field(
        default="careergraph-dev", validation_alias=AliasChoices("NEO4J_PASSWORD")
    )
    neo4j_database: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE"))
    neo4j_http_url: str = Field(
        default="http://127.0.0.1:7474", validation_alias=AliasChoices("NEO4J_HTTP_URL")
    )
    query_timeout_s: float = 30.0
    request_deadline_s: float = Field(default=1.5, gt=0)
    """HTTP API: a request not answered within this many seconds (waiting for a free slot
    included) gets a 503 ``deadline_exceeded`` at once, and its work stops."""
    max_concurrent_queries: int | None = Field(default=None, ge=1)
    """HTTP API: store calls run at once; None = by backend (``api.deps``)."""

    def release_zip_path(self, release: str | None = None) -> Path:
        """Cache location of a fetched release zip, e.g. ``.../onet/db_29_3_text.zip``."""
        rel = (release or self.onet_release).replace(".", "_")
        return self.cache_dir / "onet" / f"db_{rel}_text.zip"

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
        """``CAREERGRAPH_BLS_DIR``, else the shared data folder if present, else None."""
        if self.bls_dir is not None:
            return self.bls_dir
        return SHARED_BLS_DIR if (SHARED_BLS_DIR / "occupation.xlsx").exists() else None

    def resolve_career_changers_dir(self) -> Path | None:
        """``CAREERGRAPH_CAREER_CHANGERS_DIR``, else the shared folder if present, else None."""
        if self.career_changers_dir is not None:
            return self.career_changers_dir
        return SHARED_CAREER_CHANGERS_DIR if SHARED_CAREER_CHANGERS_DIR.exists() else None


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    return Settings()
