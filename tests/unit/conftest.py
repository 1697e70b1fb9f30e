"""Fixtures shared by the offline unit tests (no Neo4j, no network beyond 127.0.0.1)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from careergraph.api.settings import get_settings
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.model import OnetRelease
from careergraph.loaders.onet import TABLES, read_onet_release

from .support import FIXTURE_DIR, copy_fixture, shared_data_dir, zip_folder


@pytest.fixture(scope="session")
def mini_release() -> OnetRelease:
    """The hand-written fixture release (tests/fixtures/onet_mini), read once."""
    return read_onet_release(FIXTURE_DIR)


@pytest.fixture(scope="session")
def mini_store(mini_release: OnetRelease) -> NetworkxStore:
    """A networkx store loaded with the fixture release (tests only read it)."""
    store = NetworkxStore()
    store.load(mini_release)
    return store


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture release, for error-case edits."""
    return copy_fixture(tmp_path / "onet_copy")


@pytest.fixture(scope="session")
def real_onet_dir() -> Path:
    """The shared O*NET 29.3 folder holding db_29_3_tsv and db_29_3_excel."""
    folder = shared_data_dir() / "onet"
    assert (folder / "db_29_3_tsv" / "Occupation Data.txt").is_file(), (
        f"real O*NET data not found under {folder} (set CAREERGRAPH_SHARED_DATA)"
    )
    return folder


@pytest.fixture(scope="session")
def real_tsv_release(real_onet_dir: Path) -> OnetRelease:
    """The real O*NET 29.3 release read from the converted TSV folder (~3 s)."""
    return read_onet_release(real_onet_dir / "db_29_3_tsv")


@pytest.fixture(scope="session")
def real_text_zip(real_onet_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``db_29_3_text.zip`` built from the real TSV tables, laid out like the official
    text download (one top folder ``db_29_3_text/``). Lives only in pytest's tmp."""
    folder = tmp_path_factory.mktemp("official_zip")
    return zip_folder(
        real_onet_dir / "db_29_3_tsv",
        folder / "db_29_3_text.zip",
        top="db_29_3_text",
        names=[f"{table}.txt" for table in TABLES],
    )


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    """Clear the lru_cached settings before and after, so env changes take effect."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@dataclass
class LocalServer:
    """A static HTTP server on 127.0.0.1 serving ``root``; ``requests`` logs GET paths;
    a path in ``statuses`` is answered with that HTTP status (and no file) instead."""

    root: Path
    url: str = ""
    requests: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[LocalServer]:
    """Serve a fresh folder over HTTP on an ephemeral port, in a background thread."""
    root = tmp_path / "www"
    root.mkdir()
    server_info = LocalServer(root=root)

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            server_info.requests.append(self.path)
            status = server_info.statuses.get(self.path)
            if status is not None:
                self.send_error(status)
                return
            super().do_GET()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output quiet

    handler = functools.partial(Handler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server_info.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server_info
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
