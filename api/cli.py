"""The ``careergraph`` command line (typer + rich).

Commands: ``data fetch``, ``load``, ``path``, ``occupation``, ``serve``, ``browser``,
``neo4j start|stop|status``.
"""

from __future__ import annotations

import json
import subprocess
import time
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.browser import (
    ATTRIBUTION,
    browser_url,
    build_browser_text,
    read_example_params,
    read_query_header,
    read_saved_query,
    saved_query_names,
)
from api.deps import open_loaded_store, open_store
from api.settings import REPO_ROOT, get_settings
from graph.backends.neo4j_store import read_cypher
from graph.errors import CareerGraphError
from graph.model import GraphCounts
from graph.paths import RouteFilters
from graph.service import PathQueryResult, find_career_paths, resolve_title
from graph.store import HopExplanation, OccupationProfile, RatedElement
from loaders.onet_download import fetch_onet_release
from loaders.pipeline import read_release

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

            release = read_release(settings.release_sources(onet), on_table)
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


def _hop_move(hop: HopExplanation) -> str:
    parts = []
    if hop.kind:
        parts.append(f"[bold]{hop.kind.replace('_', ' ')}[/]")
    if hop.observed_move_text and hop.observed_move_text not in hop.reasons:
        parts.append(hop.observed_move_text)
    why = [r for r in hop.reasons if not r.startswith(("median wage", "job zone"))]
    if why:
        parts.extend(why)
    elif hop.tier:
        parts.append(f"O*NET related: {hop.tier} #{hop.rank}")
    if hop.similarity is not None and not any(r.startswith("skill") for r in why):
        parts.append(f"skill similarity {hop.similarity:.2f}")
    return "\n".join(parts)


def _hop_outlook(hop: HopExplanation) -> str:
    lines = []
    if hop.wage_change_usd is not None and hop.wage_change_pct is not None:
        lines.append(f"wage {hop.wage_change_usd:+,.0f} $ ({hop.wage_change_pct:+.1f} %)")
    if hop.to_growth_pct is not None:
        bright = " bright" if hop.to_bright_outlook else ""
        lines.append(f"growth {hop.to_growth_pct:+.1f} %{bright}")
    zone = f"job zone {hop.from_job_zone}->{hop.to_job_zone}"
    if hop.job_zone_change:
        zone += f" ({hop.job_zone_change:+d})"
    lines.append(zone)
    if hop.education_change:
        lines.append(f"education: {hop.to_entry_education}")
    return "\n".join(lines)


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
            title=f"Route {number}: {' -> '.join(path.titles)}  (cost {path.total_cost:.1f})",
            title_justify="left",
        )
        table.add_column("hop")
        table.add_column("why this move")
        table.add_column("cost", justify="right")
        table.add_column("pay, outlook, preparation")
        table.add_column("to learn (skills LV from->to; hot technologies)")
        for hop in path.hops:
            learn = [
                f"{g.name} {g.from_level:g}->{g.to_level:g}"
                if g.from_level is not None
                else f"{g.name} (needs LV {g.to_level:g}; source unrated)"
                for g in hop.skills_to_gain[:3]
            ]
            learn += [f"{g.name} (knowledge)" for g in hop.knowledge_to_gain[:1]]
            if hop.hot_technologies_to_learn:
                learn.append("tech: " + ", ".join(hop.hot_technologies_to_learn[:3]))
            table.add_row(
                f"{hop.from_code} {hop.from_title}\n-> {hop.to_code} {hop.to_title}",
                _hop_move(hop),
                f"{hop.cost:.1f}",
                _hop_outlook(hop),
                "\n".join(learn) or "[dim]no rated gap[/]",
            )
        console.print(table)
        notes = dict.fromkeys(note for hop in path.hops for note in hop.estimated_ratings)
        for note in notes:
            console.print(f"   [dim]estimated: {escape(note)}[/]")


@app.command()
def path(
    source: Annotated[str, typer.Argument(help="current role: job title or O*NET-SOC code")],
    target: Annotated[str, typer.Argument(help="wanted role: job title or O*NET-SOC code")],
    k: Annotated[int, typer.Option("--k", "-k", min=1, max=10, help="routes wanted")] = 3,
    max_hops: Annotated[int, typer.Option(min=1, max=6, help="hops per route")] = 4,
    backend: BackendOption = None,
    only_advancement: Annotated[
        bool, typer.Option(help="only advancement moves (more pay or a higher job zone)")
    ] = False,
    max_wage_drop: Annotated[
        float | None, typer.Option(min=0, help="skip moves whose median wage drops > PCT %")
    ] = None,
    min_growth: Annotated[
        float | None, typer.Option(help="every job on the route grows >= PCT % (2024-34)")
    ] = None,
    via: Annotated[str | None, typer.Option(help="pass through this role (title or code)")] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="avoid this role (title or code); repeatable")
    ] = None,
    related_only: Annotated[
        bool, typer.Option(help="follow O*NET Related Occupations (v0) instead of LEADS_TO")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Find the k cheapest routes from one role to another, each hop explained."""
    settings = get_settings()
    filters = RouteFilters(
        relationship="RELATED_TO" if related_only else "LEADS_TO",
        only_advancement=only_advancement,
        max_wage_drop_pct=max_wage_drop,
        min_growth_pct=min_growth,
        via=via,
        exclude=exclude or [],
    )
    with _errors():
        store = open_loaded_store(settings, backend)
        try:
            result = find_career_paths(
                store, source, target, k=k, max_hops=max_hops, filters=filters
            )
            release = store.loaded_release()
        finally:
            store.close()
    if as_json:
        console.print_json(json.dumps(result.model_dump(mode="json")))
        return
    _print_paths(result)
    console.print(f"[dim]{ATTRIBUTION.format(release=release)}[/]")


def _rated_table(title: str, elements: list[RatedElement]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("element")
    table.add_column("importance (IM 1-5)", justify="right")
    table.add_column("level (LV 0-7)", justify="right")
    table.add_column("estimated from")
    for e in elements:
        table.add_row(
            e.name, f"{e.importance:g}", f"{e.level:g}", "/".join(e.estimated_from) or "-"
        )
    return table


def _print_profile(profile: OccupationProfile) -> None:
    zone = f"job zone {profile.job_zone}" if profile.job_zone else "no job zone"
    console.print(f"[bold]{profile.code} {escape(profile.title)}[/] ({zone})")
    console.print(escape(profile.description))
    for note in profile.estimated_ratings:
        console.print(f"[yellow]estimated:[/] {escape(note)}")
    if profile.skills:
        console.print(_rated_table("Skills", profile.skills))
    if profile.knowledge:
        console.print(_rated_table("Knowledge", profile.knowledge))
    if not profile.skills and not profile.knowledge:
        console.print("[dim]no skill or knowledge ratings[/]")
    if profile.hot_technologies:
        names = ", ".join(
            f"{t.name}{' (in demand)' if t.in_demand else ''}" for t in profile.hot_technologies
        )
        console.print(f"hot technologies: {escape(names)}")


@app.command()
def occupation(
    role: Annotated[str, typer.Argument(help="job title or O*NET-SOC code")],
    limit: Annotated[int, typer.Option(min=1, max=100, help="entries per list")] = 10,
    backend: BackendOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Show one occupation: skills and knowledge (estimated ones marked with their
    source), hot technologies and BLS figures."""
    settings = get_settings()
    with _errors():
        store = open_loaded_store(settings, backend)
        try:
            code = resolve_title(store, role).codes[0]
            profile = store.get_occupation_profile(code, limit)
            release = store.loaded_release()
        finally:
            store.close()
        if profile is None:  # resolved codes exist, unless the graph changed in between
            raise CareerGraphError(f"no occupation {code}")
    if as_json:
        console.print_json(json.dumps(profile.model_dump(mode="json")))
        return
    _print_profile(profile)
    console.print(f"[dim]{ATTRIBUTION.format(release=release)}[/]")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
    backend: BackendOption = None,
) -> None:
    """Serve the HTTP API (uvicorn); OpenAPI docs at http://HOST:PORT/docs."""
    import uvicorn

    from api.app import create_app

    settings = get_settings()
    chosen = backend or settings.backend
    with _errors():
        if chosen not in ("memory", "neo4j"):
            raise CareerGraphError(f"unknown backend {chosen!r}: use memory or neo4j")
    err_console.print(f"careergraph API ({chosen}) on http://{host}:{port}/docs")
    uvicorn.run(create_app(settings, backend=chosen), host=host, port=port)


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


def parse_param_options(items: list[str]) -> dict[str, Any]:
    """``["k=3", "role=Software Engineer"]`` -> ``{"k": 3, "role": "Software Engineer"}``.

    A value is read as JSON when it parses (numbers, ``true``, lists, quoted strings),
    otherwise it is the text itself.

    Raises
    ------
    CareerGraphError
        An item without ``=`` or with an empty name.
    """
    params: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise CareerGraphError(f"--param {item!r}: expected NAME=VALUE")
        try:
            params[name.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            params[name.strip()] = raw
    return params


@app.command()
def browser(
    query: Annotated[
        str | None,
        typer.Argument(help="saved query: a file name in cypher/queries without .cypher"),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            metavar="NAME=VALUE",
            help="parameter value (JSON if it parses, else text); overrides the example",
        ),
    ] = None,
    open_url: Annotated[
        bool, typer.Option("--open", help="also open the URL in the default web browser")
    ] = False,
) -> None:
    """Print a Neo4j Browser URL with a saved query pre-filled; without QUERY, list them.

    Parameters not given with --param take the query's ``// Example params:`` values.
    """
    if query is None:
        for name in saved_query_names():
            question = read_query_header(read_cypher(f"queries/{name}")).get("Question", "")
            typer.echo(f"{name:<36} {question}")
        return
    settings = get_settings()
    with _errors():
        text = read_saved_query(query)
        params = read_example_params(query) | parse_param_options(param or [])
        url = browser_url(settings.neo4j_http_url, build_browser_text(text, params))
    typer.echo(url)
    err_console.print(
        f"[dim]log in as {settings.neo4j_user} (password: NEO4J_PASSWORD), "
        "then press Run (Ctrl+Enter); see docs/browser.md[/]"
    )
    if open_url:
        webbrowser.open(url)


if __name__ == "__main__":
    app()
