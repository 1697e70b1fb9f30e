"""The package layout in pyproject.toml: one ``careergraph`` namespace over the repository's
top-level folders (setuptools ``package-dir``).

Cheap checks of the configuration, so a new subpackage or data file is not forgotten;
tests/integration/test_wheel_install.py builds and installs the wheel itself.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import PurePosixPath

from careergraph.graph.backends.neo4j_store import read_cypher
from tests.unit.support import REPO_ROOT, checkout_files

NAMESPACE = "careergraph"
OLD_TOP_LEVEL = ("graph", "api", "loaders", "cypher")
OLD_IMPORT = re.compile(rf"^\s*(?:from|import)\s+(?:{'|'.join(OLD_TOP_LEVEL)})\b", re.M)


def setuptools_config() -> dict[str, object]:
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    config: dict[str, object] = pyproject["tool"]["setuptools"]
    return config


def package_folder(package: str, package_dir: dict[str, str]) -> PurePosixPath:
    """The repository folder of ``package`` as setuptools finds it: the folder mapped to its
    longest listed prefix, plus the remaining name parts."""
    parts = package.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in package_dir:
            return PurePosixPath(package_dir[prefix], *parts[cut:])
    return PurePosixPath(*parts)


def tracked_files() -> list[PurePosixPath]:
    """The checkout's files (symlinks, such as the mypy tree's, left out)."""
    return [
        PurePosixPath(name)
        for name in checkout_files()
        if (REPO_ROOT / name).is_file() and not (REPO_ROOT / name).is_symlink()
    ]


def package_files() -> dict[str, list[PurePosixPath]]:
    """Tracked files directly in each package folder, by package name."""
    config = setuptools_config()
    package_dir: dict[str, str] = config["package-dir"]  # type: ignore[assignment]
    packages: list[str] = config["packages"]  # type: ignore[assignment]
    folders = {package_folder(p, package_dir): p for p in packages}
    owned: dict[str, list[PurePosixPath]] = {p: [] for p in packages}
    for path in tracked_files():
        if path.parent in folders:
            owned[folders[path.parent]].append(path)
    return owned


def test_every_folder_is_a_listed_subpackage() -> None:
    """Each folder under graph/, api/, loaders/, cypher/ with files is in ``packages``
    (setuptools warns about, and leaves out, the ones that are not)."""
    config = setuptools_config()
    package_dir: dict[str, str] = config["package-dir"]  # type: ignore[assignment]
    packages: list[str] = config["packages"]  # type: ignore[assignment]
    assert all(p == NAMESPACE or p.startswith(NAMESPACE + ".") for p in packages)
    listed = {package_folder(p, package_dir) for p in packages}
    for top in OLD_TOP_LEVEL:
        assert package_dir[f"{NAMESPACE}.{top}"] == top  # the design card's folders stay
        folders = {p.parent for p in tracked_files() if p.parts[0] == top}
        assert folders <= listed, f"not in [tool.setuptools] packages: {folders - listed}"
        for folder in folders:
            if any(p.suffix == ".py" for p in (REPO_ROOT / folder).iterdir()):
                assert (REPO_ROOT / folder / "__init__.py").is_file(), folder
    assert (REPO_ROOT / package_dir[NAMESPACE] / "__init__.py").is_file()


def test_every_data_file_is_package_data() -> None:
    config = setuptools_config()
    package_dir: dict[str, str] = config["package-dir"]  # type: ignore[assignment]
    package_data: dict[str, list[str]] = config["package-data"]  # type: ignore[assignment]
    unshipped = []
    for package, files in package_files().items():
        folder = REPO_ROOT / str(package_folder(package, package_dir))
        shipped = {
            PurePosixPath(match.relative_to(REPO_ROOT).as_posix())
            for pattern in package_data.get(package, [])
            for match in folder.glob(pattern)
        }
        unshipped += [f for f in files if f.suffix != ".py" and f not in shipped]
    assert not unshipped, f"not matched by [tool.setuptools.package-data]: {unshipped}"
    cypher = [f for f in tracked_files() if f.parts[0] == "cypher" and f.suffix == ".cypher"]
    assert len(cypher) >= 30  # schema, loads and saved queries, in subfolders


def test_cypher_files_are_read_as_package_data() -> None:
    text = read_cypher("queries/explain_hop")
    assert text == (REPO_ROOT / "cypher" / "queries" / "explain_hop.cypher").read_text("utf-8")


def test_no_module_imports_the_old_top_level_names() -> None:
    """``import graph`` works only from the repository root: every import names the
    ``careergraph`` namespace, in code, tests, benchmarks and scripts."""
    offenders = [
        f"{path}:{text.count(chr(10), 0, match.start()) + 1}"
        for path in tracked_files()
        if path.suffix == ".py"
        for text in [(REPO_ROOT / path).read_text(encoding="utf-8")]
        for match in OLD_IMPORT.finditer(text)
    ]
    assert not offenders, f"imports of graph/api/loaders without careergraph.: {offenders}"


def test_the_mypy_tree_links_every_package_folder() -> None:
    """mypy checks the package through .typecheck/careergraph/ (pyproject.toml [tool.mypy]):
    symlinks only, one per package folder."""
    config = setuptools_config()
    package_dir: dict[str, str] = config["package-dir"]  # type: ignore[assignment]
    tree = REPO_ROOT / ".typecheck" / NAMESPACE
    assert all(entry.is_symlink() for entry in tree.iterdir())
    assert (tree / "__init__.py").resolve() == (
        REPO_ROOT / package_dir[NAMESPACE] / "__init__.py"
    ).resolve()
    for package, folder in package_dir.items():
        if package != NAMESPACE:
            link = tree / package.removeprefix(NAMESPACE + ".")
            assert link.resolve() == (REPO_ROOT / folder).resolve(), link
