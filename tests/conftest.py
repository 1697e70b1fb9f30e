"""Shared test fixtures: the real O*NET 29.3 data and both graph backends.

The real data is located by ``CAREERGRAPH_SHARED_DATA`` (default: ``../shared/data`` next
to the repository). The Neo4j fixtures need the server started by ``scripts/neo4j start``
(``.ci/run`` does it); an unreachable server FAILS the tests, it never skips them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from careergraph.api.settings import REPO_ROOT, Settings
from careergraph.graph.backends.neo4j_store import Neo4jStore
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.model import OnetRelease
from careergraph.loaders.onet import read_onet_release
from careergraph.loaders.pipeline import build_career_data

SHARED_DATA = Path(os.environ.get("CAREERGRAPH_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
ONET_TSV = SHARED_DATA / "onet" / "db_29_3_tsv"
ONET_EXCEL = SHARED_DATA / "onet" / "db_29_3_excel"
BLS_DIR = SHARED_DATA / "bls"
CAREER_CHANGERS_DIR = SHARED_DATA / "onet" / "db_25_1_tsv"
TASKS_DIR = SHARED_DATA / "onet" / "db_30_1_tasks"
TRANSITIONS_DIR = SHARED_DATA / "transitions"
ONET_SOC2010_DIR = SHARED_DATA / "onet" / "db_23_soc2010"


@pytest.fixture(scope="session")
def onet_tsv_dir() -> Path:
    """The real O*NET 29.3 tables as tab-delimited text."""
    assert (ONET_TSV / "Occupation Data.txt").exists(), f"real O*NET data missing at {ONET_TSV}"
    return ONET_TSV


@pytest.fixture(scope="session")
def onet_only_release(onet_tsv_dir: Path) -> OnetRelease:
    """The real O*NET 29.3 release alone (no BLS, no derived edges), read once."""
    return read_onet_release(onet_tsv_dir)


@pytest.fixture(scope="session")
def onet_release(onet_only_release: OnetRelease) -> OnetRelease:
    """O*NET 29.3 with BLS figures, Career Changers pairs, observed moves (CPS ASEC), O*NET
    30.1 tasks, estimated ratings and profiles, SIMILAR_TO and LEADS_TO: the graph
    ``careergraph load`` builds."""
    assert (BLS_DIR / "occupation.xlsx").exists(), f"real BLS data missing at {BLS_DIR}"
    assert TRANSITIONS_DIR.is_dir(), f"real transitions data missing at {TRANSITIONS_DIR}"
    return build_career_data(
        onet_only_release,
        bls_dir=BLS_DIR,
        career_changers_dir=CAREER_CHANGERS_DIR,
        tasks_dir=TASKS_DIR,
        transitions_dir=TRANSITIONS_DIR,
        onet_soc2010_dir=ONET_SOC2010_DIR,
    )


@pytest.fixture(scope="session")
def memory_store(onet_release: OnetRelease) -> NetworkxStore:
    """The in-memory backend loaded with O*NET 29.3."""
    store = NetworkxStore()
    store.load(onet_release)
    return store


@pytest.fixture(scope="session")
def neo4j_settings() -> Settings:
    """Connection settings of the local Neo4j server (env vars as in production)."""
    return Settings()


@pytest.fixture(scope="session")
def neo4j_store(neo4j_settings: Settings, onet_release: OnetRelease) -> Iterator[Neo4jStore]:
    """The real Neo4j server, loaded once per session with O*NET 29.3."""
    store = Neo4jStore(
        neo4j_settings.neo4j_uri,
        neo4j_settings.neo4j_user,
        neo4j_settings.neo4j_password,
        neo4j_settings.neo4j_database,
    )
    store.verify()  # fails loudly (BackendUnavailableError) if Neo4j is not running
    store.load(onet_release)
    yield store
    store.close()
