"""loaders.onet_download against a local HTTP server (127.0.0.1 only), and ``data fetch``."""

from __future__ import annotations

import re
import socket
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careergraph.api.cli import app
from careergraph.api.settings import get_settings
from careergraph.graph.errors import DownloadError
from careergraph.graph.model import OnetRelease
from careergraph.loaders.onet import read_onet_release
from careergraph.loaders.onet_download import fetch_onet_release, release_zip_name

from .conftest import LocalServer

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _serve(server: LocalServer, name: str, source: Path | None = None, body: bytes = b"") -> None:
    target = server.root / name
    if source is not None:
        target.symlink_to(source)
    else:
        target.write_bytes(body)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


def test_release_zip_name() -> None:
    assert release_zip_name("29.3") == "db_29_3_text.zip"
    assert release_zip_name("30.10") == "db_30_10_text.zip"
    for bad in ("latest", "29", "29.3.1", "29_3", ""):
        with pytest.raises(DownloadError, match=r"release must look like 29\.3"):
            release_zip_name(bad)


def test_fetch_lands_in_cache_and_is_a_readable_release(
    http_server: LocalServer,
    real_text_zip: Path,
    real_tsv_release: OnetRelease,
    tmp_path: Path,
) -> None:
    _serve(http_server, "db_29_3_text.zip", real_text_zip)
    destination = tmp_path / "cache" / "onet" / "db_29_3_text.zip"
    progress: list[tuple[int, int | None]] = []

    path = fetch_onet_release(
        "29.3",
        destination,
        base_url=http_server.url + "/",
        progress=lambda done, total: progress.append((done, total)),
    )

    assert path == destination
    assert destination.read_bytes() == real_text_zip.read_bytes()
    assert _leftovers(destination.parent) == ["db_29_3_text.zip"]  # no .part left behind
    assert http_server.requests == ["/db_29_3_text.zip"]
    size = real_text_zip.stat().st_size
    assert progress[-1] == (size, size)
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)

    release = read_onet_release(destination)
    assert release.release == "29.3"  # from the zip's name
    assert len(release.occupations) == 1016
    assert release == real_tsv_release


def test_cached_file_is_not_downloaded_again(http_server: LocalServer, tmp_path: Path) -> None:
    with zipfile.ZipFile(http_server.root / "db_29_3_text.zip", "w") as zf:
        zf.writestr("db_29_3_text/Occupation Data.txt", "O*NET-SOC Code\tTitle\tDescription\n")
    destination = tmp_path / "onet" / "db_29_3_text.zip"
    fetch_onet_release("29.3", destination, base_url=http_server.url)
    assert len(http_server.requests) == 1
    first = destination.read_bytes()

    assert fetch_onet_release("29.3", destination, base_url=http_server.url) == destination
    assert len(http_server.requests) == 1  # served from the cache
    assert destination.read_bytes() == first

    fetch_onet_release("29.3", destination, base_url=http_server.url, force=True)
    assert len(http_server.requests) == 2  # force downloads again


def test_http_404_is_a_download_error_and_leaves_nothing(
    http_server: LocalServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError, match="answered HTTP 404"):
        fetch_onet_release("29.3", cache / "db_29_3_text.zip", base_url=http_server.url)
    assert http_server.requests == ["/db_29_3_text.zip"]
    assert _leftovers(cache) == []


def test_non_zip_body_is_a_download_error(http_server: LocalServer, tmp_path: Path) -> None:
    _serve(http_server, "db_29_3_text.zip", body=b"<html>maintenance page</html>\n" * 100)
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError, match="is not a zip file"):
        fetch_onet_release("29.3", cache / "db_29_3_text.zip", base_url=http_server.url)
    assert _leftovers(cache) == []


def test_zip_without_onet_tables_is_a_download_error(
    http_server: LocalServer, tmp_path: Path
) -> None:
    with zipfile.ZipFile(http_server.root / "db_29_3_text.zip", "w") as zf:
        zf.writestr("db_29_3_text/Skills.txt", "x\n")
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError, match=r"holds no 'Occupation Data\.txt'"):
        fetch_onet_release("29.3", cache / "db_29_3_text.zip", base_url=http_server.url)
    assert _leftovers(cache) == []


def test_failed_forced_download_keeps_the_good_file(
    http_server: LocalServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    destination = cache / "db_29_3_text.zip"
    destination.write_bytes(b"previous good download")
    _serve(http_server, "db_29_3_text.zip", body=b"not a zip")
    with pytest.raises(DownloadError, match="is not a zip file"):
        fetch_onet_release("29.3", destination, base_url=http_server.url, force=True)
    assert http_server.requests == ["/db_29_3_text.zip"]
    assert destination.read_bytes() == b"previous good download"
    assert _leftovers(cache) == ["db_29_3_text.zip"]


def test_connection_refused_is_a_download_error(tmp_path: Path) -> None:
    with socket.socket() as sock:  # find a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(DownloadError, match="failed"):
        fetch_onet_release(
            "29.3", tmp_path / "x.zip", base_url=f"http://127.0.0.1:{port}", timeout_s=5
        )
    assert _leftovers(tmp_path) == []


# -- careergraph data fetch -------------------------------------------------------------


def test_cli_data_fetch(
    http_server: LocalServer,
    real_text_zip: Path,
    tmp_path: Path,
    fresh_settings: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _serve(http_server, "db_29_3_text.zip", real_text_zip)
    env = {
        "CAREERGRAPH_CACHE_DIR": str(tmp_path / "cache"),
        "CAREERGRAPH_ONET_DOWNLOAD_URL": http_server.url,
        "COLUMNS": "250",
    }
    args = ["data", "fetch", "--release", "29.3", "--only", "onet"]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    expected = tmp_path / "cache" / "onet" / "db_29_3_text.zip"
    assert expected.read_bytes() == real_text_zip.read_bytes()
    assert f"O*NET 29.3 is at {expected}" in ANSI.sub("", result.stdout).replace("\n", "")
    assert http_server.requests == ["/db_29_3_text.zip"]

    # the settings now find the fetched zip as the default O*NET source
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CAREERGRAPH_ONET_DIR", raising=False)
    monkeypatch.delenv("CAREERGRAPH_ONET_RELEASE", raising=False)
    get_settings.cache_clear()
    settings = get_settings()
    assert settings.release_zip_path("29.3") == expected
    assert settings.onet_dir is None
    assert settings.resolve_onet_source() == expected

    again = CliRunner().invoke(app, args, env=env)
    assert again.exit_code == 0, again.output
    assert http_server.requests == ["/db_29_3_text.zip"]  # cached: no second request


def test_cli_data_fetch_error_exits_1(
    http_server: LocalServer, tmp_path: Path, fresh_settings: None
) -> None:
    env = {
        "CAREERGRAPH_CACHE_DIR": str(tmp_path / "cache"),
        "CAREERGRAPH_ONET_DOWNLOAD_URL": http_server.url,
    }
    args = ["data", "fetch", "--release", "28.1", "--only", "onet"]
    result = CliRunner().invoke(app, args, env=env)
    assert result.exit_code == 1
    assert "error:" in result.stderr and "HTTP 404" in result.stderr
    assert "Traceback" not in result.output
    assert http_server.requests == ["/db_28_1_text.zip"]
    assert _leftovers(tmp_path / "cache" / "onet") == []  # no partial download left behind
