"""``careergraph data fetch``: every data source, from a local stand-in for the official sites.

The stand-in (:mod:`tests.official_mirror`) serves the shared data on 127.0.0.1, laid out by
host and path, and ``CAREERGRAPH_DOWNLOAD_MIRROR`` points the fetch at it.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from careergraph.api.cli import app
from careergraph.api.settings import Settings
from careergraph.graph.errors import DownloadError
from careergraph.loaders.bls import read_employment_projections
from careergraph.loaders.data_sources import FileCheck, check_file, data_sources
from careergraph.loaders.download import resolve_url
from careergraph.loaders.onet import read_career_changers
from tests.official_mirror import build_official_mirror, mirror_path

from .conftest import LocalServer
from .support import shared_data_dir

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CATALOG = data_sources("29.3")
FILES = {file.key: file for source in CATALOG for file in source.files}
EP_URL = FILES["bls-projections"].url
OEWS_URL = FILES["bls-oews"].url


@pytest.fixture
def mirror(http_server: LocalServer, real_text_zip: Path) -> LocalServer:
    """The local server laid out like the official sites."""
    build_official_mirror(http_server.root, shared_data_dir(), real_text_zip)
    return http_server


def _served_path(url: str) -> str:
    """The request path the mirror sees for an official ``url``."""
    return "/" + resolve_url(url, mirror="http://x").split("/", 3)[3]


def _fetch(server: LocalServer, cache: Path, *args: str) -> Result:
    env: Mapping[str, str] = {
        "CAREERGRAPH_CACHE_DIR": str(cache),
        "CAREERGRAPH_DOWNLOAD_MIRROR": server.url,
        "COLUMNS": "250",
        "NO_COLOR": "1",
    }
    return CliRunner().invoke(app, ["data", "fetch", *args], env=env)


def _plain(text: str) -> str:
    return ANSI.sub("", text).replace("\n", " ")


def _parts_left(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.rglob("*.part"))


def test_resolve_url() -> None:
    assert resolve_url(EP_URL) == EP_URL
    assert (
        resolve_url(EP_URL, mirror="http://127.0.0.1:9/m/")
        == "http://127.0.0.1:9/m/www.bls.gov/emp/ind-occ-matrix/occupation.xlsx"
    )
    crosswalk = FILES["crosswalk-2010-2019"].url
    assert resolve_url(crosswalk, mirror="http://m").endswith("_Crosswalk.csv?fmt=csv")
    onet = FILES["onet-release"].url
    assert resolve_url(onet, mirror="http://m", onet_base="http://o/db/") == (
        "http://o/db/db_29_3_text.zip"
    )


@pytest.mark.usefixtures("fresh_settings")
def test_fetch_every_source_into_the_cache_layout(mirror: LocalServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    result = _fetch(mirror, cache)
    assert result.exit_code == 0, result.output
    out = _plain(result.stdout)
    assert f"O*NET 29.3 is at {cache / 'onet' / 'db_29_3_text.zip'}" in out
    assert out.count("downloaded") == len(FILES)
    assert sorted(mirror.requests) == sorted(_served_path(f.url) for f in FILES.values())
    assert _parts_left(cache) == []

    shared = shared_data_dir()
    settings = Settings(cache_dir=cache)
    # the folder settings find the fetched files, laid out as the loaders expect
    assert settings.resolve_onet_source() == cache / "onet" / "db_29_3_text.zip"
    bls = settings.resolve_bls_dir()
    assert bls == cache / "bls"
    assert (bls / "occupation.xlsx").read_bytes() == (shared / "bls/occupation.xlsx").read_bytes()
    oews = (bls / "national_M2024_dl.xlsx").read_bytes()
    assert oews == (shared / "bls/national_M2024_dl.xlsx").read_bytes()  # unpacked from zip
    assert len(read_employment_projections(bls)) == 832
    changers = settings.resolve_career_changers_dir()
    assert changers == cache / "onet" / "db_25_1_excel"
    pairs = read_career_changers(changers, {"11-1011.00", "11-9111.00"})[0]
    assert ("11-1011.00", "11-9111.00", 1) in {(c.code, c.related_code, c.rank) for c in pairs}
    transitions = settings.resolve_transitions_dir()
    assert transitions == cache / "transitions"
    for name in (
        "cps_asec/asec_to_bls_mobility_edgelist.csv",
        "2010_to_2019_Crosswalk.csv",
        "soc_hierarchy.xlsx",
    ):
        assert (transitions / name).is_file()
    crosswalk = (transitions / "2010_to_2019_Crosswalk.csv").read_text(encoding="utf-8")
    assert crosswalk.startswith("O*NET-SOC 2010 Code,O*NET-SOC 2010 Title,")
    assert settings.resolve_onet_soc2010_dir() == cache / "onet" / "db_23_0_excel"
    assert (cache / "onet/db_23_0_excel/Occupation Data.xlsx").is_file()
    tasks = settings.resolve_tasks_dir()
    assert tasks == cache / "onet" / "db_30_1_text"
    assert (tasks / "Task Statements.txt").read_bytes() == (
        shared / "onet/db_30_1_tasks/Task Statements.txt"
    ).read_bytes()

    # a second run checks what is there and downloads nothing
    again = _fetch(mirror, cache, "--json")
    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)
    assert {f["status"] for f in report["files"]} == {"present"}
    assert {f["file"] for f in report["files"]} == set(FILES)
    assert all(f["licence"] for f in report["files"])
    assert len(mirror.requests) == len(FILES)


@pytest.mark.usefixtures("fresh_settings")
def test_refused_download_says_how_to_place_the_file_by_hand(
    mirror: LocalServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    mirror.statuses[_served_path(EP_URL)] = 403
    result = _fetch(mirror, cache, "--only", "bls")
    assert result.exit_code == 1
    err = _plain(result.stderr)
    target = cache / "bls" / "occupation.xlsx"
    assert "bls-projections: GET" in err and "HTTP 403" in err
    assert "refuses scripted downloads" in err
    assert f"place it by hand: open {FILES['bls-projections'].page}" in err
    assert f"save it as {target}" in err
    assert "run `careergraph data fetch` again" in err
    assert "Traceback" not in result.output
    assert not target.exists() and (cache / "bls" / "national_M2024_dl.xlsx").is_file()
    assert Settings(cache_dir=cache).resolve_bls_dir() != cache / "bls"  # incomplete: not used

    # the user saves it by hand: the next run checks it and asks the site nothing
    shutil.copy(shared_data_dir() / "bls" / "occupation.xlsx", target)
    requests_before = len(mirror.requests)
    again = _fetch(mirror, cache, "--only", "bls")
    assert again.exit_code == 0, again.output
    assert len(mirror.requests) == requests_before
    assert Settings(cache_dir=cache).resolve_bls_dir() == cache / "bls"


@pytest.mark.usefixtures("fresh_settings")
def test_error_page_or_wrong_file_is_rejected_and_nothing_is_kept(
    mirror: LocalServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    page = mirror_path(mirror.root, EP_URL)
    page.unlink()
    page.write_bytes(b"<!DOCTYPE html><html>Access Denied</html>" * 10_000)  # 200, not a workbook
    wrong_csv = mirror_path(mirror.root, FILES["crosswalk-2010-2019"].url)
    wrong_csv.unlink()
    wrong_csv.symlink_to(shared_data_dir() / "transitions/cps_asec/occ_names_bls_minor_major.csv")
    result = _fetch(mirror, cache, "--only", "bls-projections", "--only", "crosswalk-2010-2019")
    assert result.exit_code == 1
    err = _plain(result.stderr)
    assert "occupation.xlsx is not an Excel workbook" in err
    assert "2010_to_2019_Crosswalk.csv?fmt=csv: header lacks column(s)" in err
    assert "the graph still loads without them" in err
    assert not (cache / "bls" / "occupation.xlsx").exists()
    assert not (cache / "transitions" / "2010_to_2019_Crosswalk.csv").exists()
    assert _parts_left(cache) == []


@pytest.mark.usefixtures("fresh_settings")
def test_hand_saved_zip_is_unpacked_without_a_download(mirror: LocalServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (cache / "bls").mkdir(parents=True)
    shutil.copy(mirror_path(mirror.root, OEWS_URL), cache / "bls" / "oesm24nat.zip")
    result = _fetch(mirror, cache, "--only", "bls-oews")
    assert result.exit_code == 0, result.output
    assert mirror.requests == []
    assert (cache / "bls" / "national_M2024_dl.xlsx").stat().st_size > 100_000


@pytest.mark.usefixtures("fresh_settings")
def test_unknown_source_name_is_an_error(mirror: LocalServer, tmp_path: Path) -> None:
    result = _fetch(mirror, tmp_path / "cache", "--only", "wages")
    assert result.exit_code == 1
    assert "unknown data source(s) ['wages']" in _plain(result.stderr)
    assert mirror.requests == []


def test_check_file_reasons(tmp_path: Path) -> None:
    shared = shared_data_dir()
    skills = FILES["soc2010-skills"]
    assert check_file(shared / "onet/db_23_soc2010/Skills.xlsx", skills.check) > 3_000_000
    with pytest.raises(DownloadError, match=r"workbook lacks sheet\(s\) \['Skills'\]"):
        check_file(shared / "onet/db_29_3_excel/Knowledge.xlsx", skills.check)
    small = tmp_path / "Skills.xlsx"
    small.write_bytes(b"PK" * 10)
    with pytest.raises(DownloadError, match="20 bytes, expected at least 1,500,000"):
        check_file(small, skills.check)
    archive = tmp_path / "oesm24nat.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("oesm24nat/readme.txt", "x")
    with pytest.raises(DownloadError, match=r"holds no 'national_M2024_dl\.xlsx'"):
        check_file(archive, FileCheck(min_bytes=0, zip_members=("national_M2024_dl.xlsx",)))
    # the re-saved crosswalk (';', renamed header) is accepted as well as the official form
    crosswalk = FILES["crosswalk-2010-2019"]
    assert check_file(shared / "transitions/2010_to_2019_Crosswalk.csv", crosswalk.check)
