"""A stand-in for the official data sites, built from the project's shared data.

:func:`build_official_mirror` lays out a folder as ``<host>/<path>`` for every file of the
catalog (:func:`loaders.data_sources.data_sources`), holding what the official address
serves: the O*NET text zip, BLS's ``occupation.xlsx`` and the ``oesm24nat.zip`` around the
OEWS workbook, the Career Changers Matrix, the CPS edge list, the O*NET crosswalk in its
official comma-separated form, the SOC hierarchy, the O*NET 23.0 skills and the 30.1 task
statements. Served over HTTP on 127.0.0.1 it lets ``careergraph data fetch`` run with
``CAREERGRAPH_DOWNLOAD_MIRROR`` and no outside network. Files are symlinked where they
are served unchanged; nothing is copied into the repository.
"""

from __future__ import annotations

import csv
import functools
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from careergraph.loaders.data_sources import data_sources

OFFICIAL_CROSSWALK_HEADER = [
    "O*NET-SOC 2010 Code",
    "O*NET-SOC 2010 Title",
    "O*NET-SOC 2019 Code",
    "O*NET-SOC 2019 Title",
]


def shared_file_for(key: str, shared: Path) -> Path:
    """The shared data file that stands in for catalog file ``key``."""
    onet = shared / "onet"
    return {
        "bls-projections": shared / "bls" / "occupation.xlsx",
        "bls-oews": shared / "bls" / "national_M2024_dl.xlsx",
        "career-changers": onet / "db_25_1_excel" / "Career Changers Matrix.xlsx",
        "cps-moves": shared / "transitions" / "cps_asec" / "asec_to_bls_mobility_edgelist.csv",
        "crosswalk-2010-2019": shared / "transitions" / "2010_to_2019_Crosswalk.csv",
        "soc-hierarchy": shared / "transitions" / "soc_hierarchy.xlsx",
        "soc2010-skills": onet / "db_23_soc2010" / "Skills.xlsx",
        "soc2010-occupations": onet / "db_23_soc2010" / "Occupation Data.xlsx",
        "task-statements": onet / "db_30_1_tasks" / "Task Statements.txt",
    }[key]


def mirror_path(root: Path, url: str) -> Path:
    """Where ``url`` lives in a mirror rooted at ``root`` (``<root>/<host>/<path>``)."""
    parts = urlsplit(url)
    return root / parts.netloc / PurePosixPath(unquote(parts.path).lstrip("/"))


def _official_crosswalk(shared_copy: Path, destination: Path) -> None:
    """The re-saved shared crosswalk (``;``, renamed header) in O*NET's published form."""
    with shared_copy.open(encoding="utf-8-sig", newline="") as src:
        rows = list(csv.reader(src, delimiter=";"))
    with destination.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(OFFICIAL_CROSSWALK_HEADER)
        writer.writerows(rows[1:])


def build_official_mirror(root: Path, shared: Path, onet_zip: Path, release: str = "29.3") -> Path:
    """Lay out ``root`` like the official sites; ``onet_zip`` is the release's text zip.

    Returns ``root``.
    """
    for source in data_sources(release):
        for file in source.files:
            target = mirror_path(root, file.url)
            target.parent.mkdir(parents=True, exist_ok=True)
            if file.key == "onet-release":
                target.symlink_to(onet_zip)
            elif file.key == "bls-oews":
                with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
                    archive.write(shared_file_for(file.key, shared), f"oesm24nat/{file.member}")
            elif file.key == "crosswalk-2010-2019":
                _official_crosswalk(shared_file_for(file.key, shared), target)
            else:
                target.symlink_to(shared_file_for(file.key, shared))
    return root


@contextmanager
def serve_folder(root: Path) -> Iterator[str]:
    """Serve ``root`` over HTTP on 127.0.0.1 (ephemeral port) in a background thread;
    yields the base URL and stops the server afterwards."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet
