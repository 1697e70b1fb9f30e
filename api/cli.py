"""The ``careergraph`` command line (typer + rich).

Commands: ``data fetch``, ``load``, ``path``, ``neo4j start|stop|status``.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.deps import open_loaded_store, open_store, read_release
from api.settings import REPO_ROOT, get_settings
from graph.errors import CareerGraphError
from graph.model import GraphCounts
from graph.service import PathQueryResult, find_career_paths
from loaders.onet_download import fetch_onet_release

app = typer.Typer(help="careergraph: career paths over O*NET data.", no_args_is_help=True)
data_app = typer.Typer(help="O*NET data: download releases.", no_args_is_help=True)
neo4j_app = typer.Typer(help="The local Neo4j server (scripts/neo4j).", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(neo4j_app, name="neo4j")

console = Console()
err_console = Console(stderr=True)

BackendOption = Annotated[
    str | None, typer.Option("--backend", "-b", help="memory (default) or neo4j")
]
ATTRIBUTION = (
    "This site incorporates information from O*NET {release} Database by the U.S. Department "
    "of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 "
    "license. O*NET® is a trademark of USDOL/ETA."
)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn careergraph errors into a one-line message and exit code 1."""
    try:
        yield
    except CareerGraphError as exc:
        err_console.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(1) from None


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<34}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    )


def _counts_table(counts: GraphCounts, title: str) -> Table:
    table = Table(title=title)
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for label, n in counts.nodes.items():
        table.add_row("node", label, f"{n:,}")
    for rel, n in counts.relationships.items():
        table.add_row("relationship", rel, f"{n:,}")
    return table


@data_app.command("fetch")
def data_fetch(
    release: Annotated[str, typer.Option(help="O*NET release, e.g. 29.3")] = "29.3",
    force: Annotated[bool, typer.Option(help="download again even if cached")] = False,
) -> None:
    """Download the official O*NET release zip (text form) into the cache folder."""
    settings = get_settings()
    destination = settings.release_zip_path(release)
    with _errors(), _progress() as progress:
        task = progress.add_task(f"O*NET {release}", total=None)

        def update(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        path = fetch_onet_release(
            release, destination, base_url=settings.onet_download_url, progress=update, force=force
        )
    console.print(f"O*NET {release} is at [bold]{path}[/]")


@app.command()
def load(
    backend: BackendOption = None,
    onet: Annotated[
        Path | None, typer.Option(help="O*NET release folder or zip (default: settings)")
    ] = None,
) -> None:
    """Read an O*NET release and load it into the graph (replaces the previous graph)."""
    settings = get_settings()
    started = time.perf_counter()
    with _errors():
        with _progress() as progress:
            read_task = progress.add_task("reading O*NET tables", total=11)

            def on_table(table: str, rows: int) -> None:
                progress.update(read_task, advance=1, description=f"read {table[:28]}")

            release = read_release(settings, onet, on_table)
            progress.update(read_task, description=f"read O*NET {release.release}")
            read_s = time.perf_counter() - started
            store = open_store(settings, backend)
            write_task = progress.add_task(f"loading into {store.backend}", total=None)

            def on_rows(step: str, done: int, total: int) -> None:
                progress.update(write_task, completed=done, total=total, description=f"load {step}")

            try:
                counts = store.load(release, on_rows)
            finally:
                store.close()
        total_s = time.perf_counter() - started
    console.print(_counts_table(counts, f"O*NET {release.release} in {store.backend}"))
    console.print(f"read {read_s:.1f} s, load {total_s - read_s:.1f} s, total {total_s:.1f} s")
    if store.backend == "memory":
        console.print("[dim]the memory backend lives in this process; `path` reloads it.[/]")


def _print_paths(result: PathQueryResult) -> None:
    for label, res in (("from", result.source), ("to", result.target)):
        matched = ", ".join(f"{m.code} {m.occupation_title}" for m in res.matches)
        kind = res.matches[0].match_kind if res.matches else "-"
        console.print(f"[bold]{label}[/] {res.query!r} -> {matched} [dim]({kind} match)[/]")
        if res.runners_up:
            others = "; ".join(f"{m.code} {m.occupation_title}" for m in res.runners_up[:3])
            console.print(f"   [dim]runners-up: {others}[/]")
    for number, path in enumerate(result.paths, start=1):
        table = Table(
            title=f"Route {number}: {' -> '.join(path.titles)}  (cost {path.total_cost:g})",
            title_justify="left",
        )
        table.add_column("hop")
        table.add_column("relatedness")
        table.add_column("cost", justify="right")
        table.add_column("job zone")
        table.add_column("skills to gain (LV from->to)")
        for hop in path.hops:
            zone = f"{hop.from_job_zone}->{hop.to_job_zone}"
            if hop.job_zone_change:
                zone += f" ({hop.job_zone_change:+d})"
            skills = ", ".join(
                f"{g.name} {g.from_level:g}->{g.to_level:g}" for g in hop.skills_to_gain[:3]
            )
            table.add_row(
                f"{hop.from_code} {hop.from_title}\n-> {hop.to_code} {hop.to_title}",
                f"{hop.tier} #{hop.rank}",
                f"{hop.cost:g}",
                zone,
                skills or "[dim]no rated gap[/]",
            )
        console.print(table)


@app.command()
def path(
    source: Annotated[str, typer.Argument(help="current role: job title or O*NET-SOC code")],
    target: Annotated[str, typer.Argument(help="wanted role: job title or O*NET-SOC code")],
    k: Annotated[int, typer.Option("--k", "-k", min=1, max=10, help="routes wanted")] = 3,
    max_hops: Annotated[int, typer.Option(min=1, max=6, help="hops per route")] = 4,
    backend: BackendOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Find the k cheapest routes from one role to another, each hop explained."""
    settings = get_settings()
    with _errors():
        store = open_loaded_store(settings, backend)
        try:
            result = find_career_paths(store, source, target, k=k, max_hops=max_hops)
            release = store.loaded_release()
        finally:
            store.close()
    if as_json:
        console.print_json(json.dumps(result.model_dump(mode="json")))
        return
    _print_paths(result)
    console.print(f"[dim]{ATTRIBUTION.format(release=release)}[/]")


def _run_neo4j_script(action: str) -> None:
    script = REPO_ROOT / "scripts" / "neo4j"
    completed = subprocess.run([str(script), action], check=False)
    raise typer.Exit(completed.returncode)


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Install (first time) and start the local Neo4j server; waits for Bolt."""
    _run_neo4j_script("start")


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j server started by `careergraph neo4j start`."""
    _run_neo4j_script("stop")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Show whether the local Neo4j server runs (exit 0) or not (exit 3)."""
    _run_neo4j_script("status")


if __name__ == "__main__":
    app()
