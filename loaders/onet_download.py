"""Download an official O*NET release zip into the local cache.

The O*NET Resource Center publishes each release as
``<base>/db_<major>_<minor>_text.zip`` (tab-delimited text files), e.g.
``https://www.onetcenter.org/dl_files/database/db_29_3_text.zip``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import httpx

from graph.errors import DownloadError

ByteProgress = Callable[[int, int | None], None]
"""``progress(bytes_done, bytes_total_or_None)``."""

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
) -> Path:
    """Download release ``release`` to ``destination`` (a ``.zip`` path) unless cached.

    The file is written to ``<destination>.part`` and renamed only after it proved to be
    a zip holding ``Occupation Data.txt``, so a broken download never replaces a good one.

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
    try:
        with httpx.stream("GET", url, timeout=timeout_s, follow_redirects=True) as response:
            if response.status_code != 200:
                raise DownloadError(f"GET {url} answered HTTP {response.status_code}")
            total = (
                int(response.headers["content-length"])
                if "content-length" in response.headers
                else None
            )
            done = 0
            with part.open("wb") as out:
                for chunk in response.iter_bytes(1 << 16):
                    out.write(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
    except httpx.HTTPError as exc:
        part.unlink(missing_ok=True)
        raise DownloadError(f"GET {url} failed: {exc}") from exc
    try:
        with zipfile.ZipFile(part) as archive:
            names = [Path(n).name for n in archive.namelist()]
    except zipfile.BadZipFile as exc:
        part.unlink(missing_ok=True)
        raise DownloadError(f"{url} is not a zip file") from exc
    if "Occupation Data.txt" not in names:
        part.unlink(missing_ok=True)
        raise DownloadError(f"{url} holds no 'Occupation Data.txt': not an O*NET text release")
    part.replace(destination)
    return destination
