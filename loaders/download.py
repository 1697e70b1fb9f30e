"""Fetch the data sources of :mod:`loaders.data_sources` into the cache folder (httpx).

Every file is written to ``<target>.part`` and checked (:func:`loaders.data_sources.
check_file`) before it is renamed into place, so a failed or refused download never
replaces a good file. A file already in place (fetched earlier, or placed there by hand)
is checked and kept. Where a site refuses scripted downloads (the BLS does, for clients
it does not recognise), :func:`manual_instructions` tells where to download the file in a
web browser and where to put it.

Addresses: the official ones, unless ``mirror`` is given: then
``https://www.bls.gov/emp/x.xlsx`` is fetched from ``<mirror>/www.bls.gov/emp/x.xlsx``
(a mirror laid out by host and path; the tests use one on 127.0.0.1).
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal
from urllib.parse import urlsplit

import httpx

from careergraph.graph.errors import DownloadError, DownloadRefusedError
from careergraph.loaders.data_sources import ONET_DATABASE_URL, DataFile, DataSource, check_file

ByteProgress = Callable[[int, int | None], None]
"""``progress(bytes_done, bytes_total_or_None)``."""

REFUSED_STATUSES = frozenset({401, 403, 406, 429, 451})
"""HTTP answers that mean "not for scripts": the file must be fetched by hand."""
DEFAULT_TIMEOUT_S = 60.0
"""Connect/read timeout of one download, seconds."""

FetchStatus = Literal["downloaded", "present", "failed"]


@dataclass(frozen=True)
class FetchOutcome:
    """What ``careergraph data fetch`` did with one file.

    Attributes
    ----------
    source, file
        The catalog entries.
    status
        ``downloaded``; ``present`` (already in the cache and it passed its checks);
        ``failed`` (``message`` says why, ``manual`` how to place it by hand).
    path
        The file's place in the cache folder.
    url
        The address it was (or would have been) fetched from.
    size_bytes
        Size of the checked file, or None if it failed.
    refused
        The site refused the scripted download (HTTP 401/403/406/429/451).
    """

    source: DataSource
    file: DataFile
    status: FetchStatus
    path: Path
    url: str
    size_bytes: int | None = None
    message: str = ""
    manual: str = ""
    refused: bool = False


def resolve_url(official: str, *, mirror: str | None = None, onet_base: str | None = None) -> str:
    """The address to fetch ``official`` from.

    Parameters
    ----------
    official
        The official address (``https://host/path?query``).
    mirror
        Base URL of a mirror laid out as ``<mirror>/<host>/<path>``, or None.
    onet_base
        Replacement for the O*NET Resource Center's database base address
        (:data:`loaders.data_sources.ONET_DATABASE_URL`), or None; it wins over ``mirror``
        for those files.
    """
    if onet_base and official.startswith(ONET_DATABASE_URL + "/"):
        return onet_base.rstrip("/") + official[len(ONET_DATABASE_URL) :]
    if not mirror:
        return official
    parts = urlsplit(official)
    query = f"?{parts.query}" if parts.query else ""
    return f"{mirror.rstrip('/')}/{parts.netloc}{parts.path}{query}"


def download(
    url: str,
    destination: Path,
    *,
    client: httpx.Client,
    progress: ByteProgress | None = None,
) -> int:
    """Stream ``url`` into ``destination`` (created or overwritten); return bytes written.

    Raises
    ------
    DownloadRefusedError
        HTTP 401, 403, 406, 429 or 451 (the site does not serve scripts).
    DownloadError
        Any other HTTP status than 200, or a network failure (the partial file is removed).
    """
    try:
        with client.stream("GET", url) as response:
            if response.status_code in REFUSED_STATUSES:
                raise DownloadRefusedError(
                    f"GET {url} answered HTTP {response.status_code}: "
                    "the site refuses scripted downloads"
                )
            if response.status_code != 200:
                raise DownloadError(f"GET {url} answered HTTP {response.status_code}")
            length = response.headers.get("content-length")
            total = int(length) if length and length.isdigit() else None
            done = 0
            with destination.open("wb") as out:
                for chunk in response.iter_bytes(1 << 16):
                    out.write(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
    except httpx.HTTPError as exc:
        destination.unlink(missing_ok=True)
        raise DownloadError(f"GET {url} failed: {exc}") from exc
    except DownloadError:
        destination.unlink(missing_ok=True)
        raise
    return done


def _extract_member(archive: Path, member: str, destination: Path, label: str) -> None:
    """Copy the file named ``member`` (at any depth) out of the zip ``archive``."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            names = [n for n in zipped.namelist() if PurePosixPath(n).name == member]
            if not names:
                raise DownloadError(f"{label} holds no {member!r}")
            with zipped.open(names[0]) as src, destination.open("wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
    except zipfile.BadZipFile:
        raise DownloadError(f"{label} is not a zip file") from None


def fetch_data_file(
    file: DataFile,
    cache_dir: Path,
    url: str,
    *,
    client: httpx.Client,
    force: bool = False,
    progress: ByteProgress | None = None,
) -> tuple[FetchStatus, int]:
    """Put ``file`` in ``cache_dir`` (downloaded from ``url``) unless a good copy is there.

    A zip saved by hand next to the target under its download name (``oesm24nat.zip``)
    is unpacked instead of downloading it.

    Returns
    -------
    tuple[str, int]
        ``("present" | "downloaded", size in bytes)``.

    Raises
    ------
    DownloadRefusedError
        The site refused the scripted download.
    DownloadError
        HTTP or network error, or the file fails its checks; nothing is left behind and
        an existing file is kept.
    """
    target = file.target(cache_dir)
    if target.exists() and not force:
        try:
            return "present", check_file(target, file.check)
        except DownloadError:
            pass  # a bad copy (e.g. an interrupted hand copy): fetch it again
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    archive_part = target.with_name(target.name + ".zip.part")
    try:
        if file.member is None:
            download(url, part, client=client, progress=progress)
        else:
            placed = target.parent / file.download_name()
            if placed.is_file() and not force:
                archive = placed
            else:
                download(url, archive_part, client=client, progress=progress)
                archive = archive_part
            _extract_member(archive, file.member, part, url)
        size = check_file(part, file.check, name=target.name, label=url)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
        archive_part.unlink(missing_ok=True)
    return "downloaded", size


def manual_instructions(file: DataFile, cache_dir: Path) -> str:
    """How to place ``file`` by hand: where to download it and where to save it."""
    target = file.target(cache_dir)
    steps = f"open {file.page} (or {file.url}) in a web browser"
    if file.member is not None:
        steps += (
            f", download {file.download_name()} and save it in {target.parent}/ (or unzip it "
            f"and save {file.member} as {target})"
        )
    else:
        steps += f", download the file and save it as {target}"
    return steps + "; then run `careergraph data fetch` again to check it"


def fetch_data_sources(
    sources: Sequence[DataSource],
    cache_dir: Path,
    *,
    mirror: str | None = None,
    onet_base: str | None = None,
    user_agent: str = "careergraph",
    timeout_s: float = DEFAULT_TIMEOUT_S,
    force: bool = False,
    only: Sequence[str] = (),
    on_file: Callable[[DataFile, str], ByteProgress | None] | None = None,
) -> list[FetchOutcome]:
    """Fetch and check every file of ``sources`` (or of the files/sources named in ``only``).

    Parameters
    ----------
    sources
        Catalog entries (:func:`loaders.data_sources.data_sources`).
    cache_dir
        careergraph's cache folder; files land at their ``path`` below it.
    mirror, onet_base
        Where to fetch from instead of the official addresses (:func:`resolve_url`).
    user_agent
        ``User-Agent`` header sent with every request.
    timeout_s
        Connect/read timeout per request, seconds.
    force
        Download again even if a good copy is in place.
    only
        Keys of sources or files to fetch; empty = all.
    on_file
        Called as ``on_file(file, url)`` before each file; may return a byte-progress
        callback for its download.

    Returns
    -------
    list[FetchOutcome]
        One per file, in catalog order. A failure of one file does not stop the others.

    Raises
    ------
    DownloadError
        ``only`` names no known source or file.
    """
    chosen = [
        (source, file)
        for source in sources
        for file in source.files
        if not only or source.key in only or file.key in only
    ]
    known = {s.key for s in sources} | {f.key for s in sources for f in s.files}
    unknown = [name for name in only if name not in known]
    if unknown:
        raise DownloadError(f"unknown data source(s) {unknown}; known: {sorted(known)}")
    outcomes: list[FetchOutcome] = []
    headers = {"User-Agent": user_agent}
    with httpx.Client(headers=headers, timeout=timeout_s, follow_redirects=True) as client:
        for source, file in chosen:
            url = resolve_url(file.url, mirror=mirror, onet_base=onet_base)
            progress = on_file(file, url) if on_file is not None else None
            target = file.target(cache_dir)
            try:
                status, size = fetch_data_file(
                    file, cache_dir, url, client=client, force=force, progress=progress
                )
            except DownloadError as exc:
                outcomes.append(
                    FetchOutcome(
                        source,
                        file,
                        "failed",
                        target,
                        url,
                        message=str(exc),
                        manual=manual_instructions(file, cache_dir),
                        refused=isinstance(exc, DownloadRefusedError),
                    )
                )
                continue
            outcomes.append(FetchOutcome(source, file, status, target, url, size_bytes=size))
    return outcomes
