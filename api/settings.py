"""careergraph settings, read from environment variables (pydantic-settings).

| env var | default | meaning |
|---|---|---|
| ``CAREERGRAPH_BACKEND`` | ``memory`` | ``memory`` (networkx) or ``neo4j`` |
| ``CAREERGRAPH_ONET_DIR`` | see ``resolve_onet_source`` | release folder or zip |
| ``CAREERGRAPH_ONET_RELEASE`` | ``29.3`` | release fetched / expected |
| ``CAREERGRAPH_BLS_DIR`` | ``../shared/data/bls`` if present | BLS EP + OEWS workbooks |
| ``CAREERGRAPH_CAREER_CHANGERS_DIR`` | ``../shared/data/onet/db_25_1_tsv`` | O*NET 25.1 |
| ``CAREERGRAPH_TRANSITIONS_DIR`` | ``../shared/data/transitions`` | CPS moves, crosswalk |
| ``CAREERGRAPH_ONET_SOC2010_DIR`` | ``../shared/data/onet/db_23_soc2010`` | SOC 2010 Skills |
| ``CAREERGRAPH_CACHE_DIR`` | ``~/.cache/careergraph`` | downloads and snapshots |
| ``CAREERGRAPH_ONET_DOWNLOAD_URL`` | O*NET Resource Center | base URL of release zips |
| ``NEO4J_URI`` | ``bolt://127.0.0.1:7687`` | Bolt address |
| ``NEO4J_USER`` / ``NEO4J_PASSWORD`` | ``neo4j`` / ``careergraph-dev`` | credentials |
| ``NEO4J_DATABASE`` | ``neo4j`` | database name |
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.errors import CareerGraphError
from loaders.pipeline import ReleaseSources
from loaders.transitions import CPS_EDGELIST_FILE

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
SHARED_ONET_DIR = SHARED_DATA_DIR / "onet" / "db_29_3_tsv"
SHARED_BLS_DIR = SHARED_DATA_DIR / "bls"
SHARED_CAREER_CHANGERS_DIR = SHARED_DATA_DIR / "onet" / "db_25_1_tsv"
SHARED_TRANSITIONS_DIR = SHARED_DATA_DIR / "transitions"
SHARED_ONET_SOC2010_DIR = SHARED_DATA_DIR / "onet" / "db_23_soc2010"


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

    def resolve_transitions_dir(self) -> Path | None:
        """``CAREERGRAPH_TRANSITIONS_DIR``, else the shared folder if it holds the CPS moves,
        else None (no ``MOVED_TO``)."""
        if self.transitions_dir is not None:
            return self.transitions_dir
        present = (SHARED_TRANSITIONS_DIR / CPS_EDGELIST_FILE).exists()
        return SHARED_TRANSITIONS_DIR if present else None

    def resolve_onet_soc2010_dir(self) -> Path | None:
        """``CAREERGRAPH_ONET_SOC2010_DIR``, else the shared folder if it holds
        ``Skills.xlsx``, else None (no skills estimated from SOC 2010 predecessors)."""
        if self.onet_soc2010_dir is not None:
            return self.onet_soc2010_dir
        present = (SHARED_ONET_SOC2010_DIR / "Skills.xlsx").exists()
        return SHARED_ONET_SOC2010_DIR if present else None

    def release_sources(self, onet: Path | None = None) -> ReleaseSources:
        """Every source of the graph (:class:`loaders.pipeline.ReleaseSources`): ``onet`` or
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
        )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (read once from the environment)."""
    return Settings()
