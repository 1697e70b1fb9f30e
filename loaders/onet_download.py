"""Download an official O*NET release zip into the local cache.

The O*NET Resource Center publishes each release as
``<base>/db_<major>_<minor>_text.zip`` (tab-delimited text files), e.g.
``https://www.onetcenter.org/dl_files/database/db_29_3_text.zip``.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from careergraph.graph.errors import DownloadError
from careergraph.loaders.data_sources import FileCheck, check_file
from careergraph.loaders.download import ByteProgress, download

RELEASE_ZIP_CHECK = FileCheck(min_bytes=0, zip_members=("Occupation Data.txt",))
"""The least a release zip must hold (the loader reports any other missing table)."""

_RELEASE = re.compile(r"^\d{1,2}\.\d{1,2}$")


def release_zip_name(release: str) -> str:
    """File name of a release's text zip: ``"29.3"`` -> ``"db_29_3_text.zip"``.

    Raises
    ------
    DownloadError
        If ``release`` is not of the form ``NN.N``.
    """
    if not _RELEASE.match(release):
        raise DownloadError(f"release must look like 29.3, got {release!r}")
    return "db_" + release.replace(".", "_") + "_text.zip"


def fetch_onet_release(
    release: str,
    destination: Path,
    *,
    base_url: str,
    progress: ByteProgress | None = None,
    force: bool = False,
    timeout_s: float = 60.0,
    user_agent: str = "careergraph",
) -> Path:
    """Download release ``release`` to ``destination`` (a ``.zip`` path) unless cached.

    The file is written to ``<destination>.part`` and renamed only after it proved to be
    a zip holding ``Occupation Data.txt``, so a broken download never replaces a good one.
    ``careergraph data fetch`` fetches it with the other sources
    (:func:`loaders.download.fetch_data_sources`), checking every table the loader reads.

    Returns
    -------
    Path
        ``destination``.

    Raises
    ------
    DownloadError
        HTTP error, network failure, or the body is not an O*NET release zip.
    """
    url = f"{base_url.rstrip('/')}/{release_zip_name(release)}"
    if destination.exists() and not force:
        return destination
    destination.parent.mkdir(parents=True, exist_ok=True)
    part = destination.with_name(destination.name + ".part")
    headers = {"User-Agent": user_agent}
    try:
        with httpx.Client(headers=headers, timeout=timeout_s, follow_redirects=True) as client:
            download(url, part, client=client, progress=progress)
        check_file(part, RELEASE_ZIP_CHECK, name=destination.name, label=url)
        part.replace(destination)
    finally:
        part.unlink(missing_ok=True)
    return destination
