"""A user's install and first run, as the README tells it, outside this workspace.

A fresh copy of the repository (its tracked and new files, no ``.venv``, no ``../shared``
beside it) runs the commands of the README's "Set up and run" section in order: the set-up
script (a new virtualenv from the runtime lock, from the package registry), ``careergraph
data fetch`` (from a local stand-in for the official data sites, :mod:`tests.official_mirror`)
and the seed question. The route must carry BLS pay and growth figures, which come only
from the fetched BLS workbooks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from careergraph.loaders.onet import TABLES
from tests.official_mirror import build_official_mirror, serve_folder
from tests.unit.support import REPO_ROOT, checkout_files, shared_data_dir, zip_folder

SECTION = "## Set up and run"


def readme_commands() -> list[str]:
    """The indented command lines of the README's "Set up and run" section, in order."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return [line.strip() for line in section.splitlines() if line.startswith("    ")]


def copy_checkout(destination: Path) -> None:
    """The repository's files as a fresh clone would have them (plus uncommitted edits)."""
    for name in checkout_files():
        source = REPO_ROOT / name
        if source.is_file():  # a file deleted but not yet committed is skipped
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)


def test_readme_set_up_fetch_and_run_on_a_fresh_copy(tmp_path: Path) -> None:
    commands = readme_commands()
    assert commands[0] == "scripts/setup"
    assert any("careergraph data fetch" in c for c in commands)
    assert "careergraph path" in commands[-1]

    checkout = tmp_path / "user" / "careergraph"
    copy_checkout(checkout)
    assert not (checkout.parent / "shared").exists() and not (checkout / ".venv").exists()

    official = tmp_path / "official"
    onet_zip = zip_folder(
        shared_data_dir() / "onet" / "db_29_3_tsv",
        tmp_path / "db_29_3_text.zip",
        top="db_29_3_text",
        names=[f"{table}.txt" for table in TABLES],
    )
    build_official_mirror(official, shared_data_dir(), onet_zip)
    home = tmp_path / "home"
    home.mkdir()
    pip_cache = os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    with serve_folder(official) as mirror:
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(home),  # a new user: empty ~/.cache/careergraph
            "LANG": "C.UTF-8",
            "PIP_CACHE_DIR": pip_cache,  # the registry's downloads, shared to save time
            "CAREERGRAPH_DOWNLOAD_MIRROR": mirror,
            "NO_COLOR": "1",
            "COLUMNS": "220",
        }
        outputs = []
        for command in commands:
            done = subprocess.run(
                ["bash", "-c", command],
                cwd=checkout,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
            outputs.append(done.stdout)

    cache = home / ".cache" / "careergraph"
    assert (cache / "bls" / "occupation.xlsx").is_file()
    assert (cache / "onet" / "db_29_3_text.zip").is_file()
    route = outputs[-1]
    assert "Route 1:" in route, route
    assert "-> 15-1252.00 Software Developers" in route, route
    # BLS figures on the hops: median wage change in dollars and 2024-34 growth
    assert re.search(r"wage [+-][\d,]+ \$ \([+-][\d.]+ %\)", route), route
    assert re.search(r"growth [+-][\d.]+ %", route), route
    assert "O*NET 29.3 Database" in route.replace("\n", " ")
    assert (cache / "snapshots").is_dir()  # the first run left a snapshot for later runs
