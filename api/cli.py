"""The ``careergraph`` command line (typer + rich).

Commands: ``data fetch``, ``load``, ``path``, ``show``, ``titles``, ``occupation``, ``related``,
``gap``, ``serve``, ``browser``, ``neo4j start|stop|status``; ``--version``. Commands that
print data take ``--json`` (floats rounded to :data:`JSON_DIGITS` decimals, with the O*NET
CC BY attribution).

Errors a user can fix (bad data, Neo4j down, wrong password, ...) end the command with one
``error:`` line and exit code 1, never a traceback. Logging is configured once per run
(:func:`configure_logging`): careergraph's own warnings print as one ``warning:`` line; all
records, including the Neo4j driver's, go to the log file (``<cache>/logs/careergraph.log``),
and to the terminal only with ``--verbose``.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from pydantic import ValidationError

from careergraph.api.browser import (
    ATTRIBUTION,
    browser_url,
    build_browser_text,
    read_example_params,
    read_query_header,
    read_saved_query,
    saved_query_names,
)
from careergraph.api.deps import (
    memory_snapshot_ready,
    open_loaded_store,
    open_store,
    read_memory_graph_header,
    save_memory_graph,
)
from careergraph.api.route_diagram import route_mermaid
from careergraph.api.schemas import AttributionResponse, RoleResponse, TitleSearchResponse
from careergraph.api.settings import REPO_ROOT, Settings, get_settings
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.backends.snapshot import SnapshotKeyError, read_install_key
from careergraph.graph.collector import collector_paused, freeze_long_lived
from careergraph.graph.errors import CareerGraphError
from careergraph.graph.model import GraphCounts, LaborMarketFigures, OnetRelease
from careergraph.graph.paths import RouteFilters
from careergraph.graph.role_profile import short_level_name
from careergraph.graph.service import CareerPath, PathQueryResult, find_career_paths, resolve_title
from careergraph.graph.store import GraphStore, HopExplanation, RatedElement
from careergraph.graph.titles import TitleMatch, TitleResolution, look_up_titles
from careergraph.loaders.integrity import MAX_TABLE_LOSS, replace_graph

if TYPE_CHECKING:  # imported where used: `serve` needs neither the driver nor the loaders
    from rich.console import Console
    from rich.progress import Progress, TaskID
    from rich.table import Table

    from careergraph.loaders.data_sources import DataFile
    from careergraph.loaders.download import ByteProgress, FetchOutcome

app = typer.Typer(no_args_is_help=True, add_completion=False)
data_app = typer.Typer(
    help="The data sources: download and check every file the graph uses.",
    no_args_is_help=True,
)
neo4j_app = typer.Typer(help="The local Neo4j server (scripts/neo4j).", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(neo4j_app, name="neo4j")


class _LazyConsole:
    """A rich ``Console`` made at its first use: importing rich took ~25 ms of every
    command's start, ``serve``'s included, which prints no rich output."""

    def __init__(self, *, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def rich(self) -> Console:
        """The console itself (for rich objects that are given one)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rich(), name)


console: Console = _LazyConsole()  # type: ignore[assignment]
err_console: Console = _LazyConsole(stderr=True)  # type: ignore[assignment]


def _rich(lazy: Console) -> Console:
    """The rich console behind :data:`console` or :data:`err_console`."""
    return lazy.rich() if isinstance(lazy, _LazyConsole) else lazy


def _table(**options: Any) -> Table:
    """A rich ``Table`` (rich imported at first use)."""
    from rich.table import Table

    return Table(**options)


logger = logging.getLogger("careergraph.cli")


def escape(text: str) -> str:
    """``rich.markup.escape`` (rich imported at first use)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"careergraph {version('careergraph')}")
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="print the version and exit"
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="print every log record (the Neo4j driver's too) on stderr",
        ),
    ] = False,
) -> None:
    """careergraph: career paths between occupations over U.S. O*NET and BLS data.

    Start with `careergraph data fetch`, then `careergraph path FROM TO`. Every command
    that prints data takes --json. Log file: <cache>/logs/careergraph.log.
    """
    with _errors():
        settings = get_settings()
    configure_logging(settings.log_file, verbose=verbose)


T = TypeVar("T")

BackendOption = Annotated[
    str | None, typer.Option("--backend", "-b", help="memory (default) or neo4j")
]


def print_error(message: str) -> None:
    """Print ``error: MESSAGE`` to stderr as one line (never wrapped, markup not parsed)."""
    err_console.print("[bold red]error:[/] ", end="")
    err_console.print(" ".join(message.split()), markup=False, highlight=False, soft_wrap=True)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn careergraph errors and invalid settings into one line and exit code 1."""
    try:
        yield
    except CareerGraphError as exc:
        logger.info("error: %s", exc)  # the log file keeps it with the driver's records
        print_error(str(exc))
        raise typer.Exit(1) from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'setting'}: {e['msg']}" for e in exc.errors()
        )
        print_error(f"invalid setting: {problems}")
        raise typer.Exit(1) from None


class _StderrHandler(logging.Handler):
    """One line per record on the current ``sys.stderr`` (looked up at each record)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(" ".join(self.format(record).split()) + "\n")
        except Exception:
            self.handleError(record)


class _ShortFormatter(logging.Formatter):
    """``warning: message`` (the level in lower case, as the ``error:`` lines)."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}"


_LOG_HANDLERS: list[logging.Handler] = []


def configure_logging(log_file: Path | None, *, verbose: bool = False) -> None:
    """Set up logging for this run (again on each call: earlier handlers are replaced).

    Parameters
    ----------
    log_file
        Every record of level INFO and above (DEBUG with ``verbose``), the Neo4j driver's
        included, is appended here; None: no file (it cannot be created).
    verbose
        Also print every record, the driver's included, on stderr; otherwise only
        careergraph's own warnings and errors, as ``warning: ...`` lines.
    """
    root = logging.getLogger()
    for handler in _LOG_HANDLERS:
        root.removeHandler(handler)
        handler.close()
    _LOG_HANDLERS.clear()
    console = _StderrHandler(logging.DEBUG if verbose else logging.WARNING)
    if verbose:
        console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    else:
        console.setFormatter(_ShortFormatter())
        console.addFilter(lambda record: record.name.startswith("careergraph"))
    _LOG_HANDLERS.append(console)
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            file_handler = logging.FileHandler(log_file, encoding="utf-8", delay=True)
        except OSError:
            pass
        else:
            file_handler.setLevel(logging.DEBUG if verbose else logging.INFO)
            file_handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
            )
            _LOG_HANDLERS.append(file_handler)
    for handler in _LOG_HANDLERS:
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.captureWarnings(True)


def _progress(*, quiet: bool = False, transient: bool = False) -> Progress:
    """A progress display on stderr; ``quiet`` hides it (e.g. with ``--json``)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description:<34}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_rich(err_console),
        transient=transient,
        disable=quiet,
    )


ONET_READ_STEPS = 12
"""Progress ticks of :func:`loaders.onet.read_onet_release` (one per table or table group;
a unit test keeps this in step with the reader)."""
JSON_DIGITS = 2
"""Decimals kept in ``--json`` output (costs, levels, percentages, similarities)."""


def rounded(value: Any, digits: int = JSON_DIGITS) -> Any:
    """``value`` with every float rounded to ``digits`` decimals (dicts and lists walked);
    ``-0.0`` becomes ``0.0``."""
    if isinstance(value, float):
        return round(value, digits) + 0.0
    if isinstance(value, dict):
        return {key: rounded(item, digits) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(item, digits) for item in value]
    return value


def _print_json(data: dict[str, Any], release: str | None) -> None:
    """Print ``data`` as JSON on stdout, floats rounded, with the O*NET CC BY attribution
    of ``release`` (the loaded release) unless ``data`` carries one already."""
    payload = dict(data)
    if release is not None and "attribution" not in payload:
        payload["attribution"] = AttributionResponse.for_release(release).model_dump(mode="json")
    typer.echo(json.dumps(rounded(payload), indent=2, ensure_ascii=False))


def _counts_table(counts: GraphCounts, title: str) -> Table:
    table = _table(title=title)
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for label, n in counts.nodes.items():
        table.add_row("node", label, f"{n:,}")
    for rel, n in counts.relationships.items():
        table.add_row("relationship", rel, f"{n:,}")
    return table


def _download_progress(*, quiet: bool = False) -> Progress:
    """Byte progress of downloads on stderr; ``quiet`` hides it."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    return Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=_rich(err_console),
        disable=quiet,
    )


def _size(size_bytes: int | None) -> str:
    if size_bytes is None:
        return "-"
    return f"{size_bytes / 1e6:.1f} MB" if size_bytes >= 100_000 else f"{size_bytes / 1e3:.0f} kB"


def _fetch_outcome_json(outcome: FetchOutcome) -> dict[str, Any]:
    return {
        "source": outcome.source.key,
        "file": outcome.file.key,
        "title": outcome.file.title,
        "status": outcome.status,
        "path": str(outcome.path),
        "url": outcome.url,
        "size_bytes": outcome.size_bytes,
        "licence": outcome.source.licence,
        "setting": outcome.source.setting,
        "message": outcome.message or None,
        "manual": outcome.manual or None,
    }


@data_app.command("fetch")
def data_fetch(
    release: Annotated[
        str | None, typer.Option(help="O*NET release, e.g. 29.3 (default: settings)")
    ] = None,
    force: Annotated[bool, typer.Option(help="download again even if cached")] = False,
    only: Annotated[
        list[str] | None,
        typer.Option(help="fetch only this source or file (e.g. onet, bls); repeatable"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Download every data source the graph uses into the cache folder and check each.

    Sources: the O*NET release, BLS Employment Projections and OEWS wages, the Career
    Changers Matrix, observed occupation moves (CPS) with SOC 2010 crosswalks, O*NET 23.0
    skills (SOC 2010) and O*NET 30.1 task statements (see docs/data-sources.md). Files
    already in place are checked, not downloaded again. Where a site refuses scripted
    downloads, it says where to download the file by hand and where to save it. Exit
    status 1 if any file is missing afterwards.
    """
    from careergraph.loaders.data_sources import data_sources
    from careergraph.loaders.download import fetch_data_sources
    from careergraph.loaders.onet_download import release_zip_name

    settings = get_settings()
    chosen_release = release or settings.onet_release
    with _errors():
        release_zip_name(chosen_release)  # validates the form NN.N
        sources = data_sources(chosen_release)
        with _download_progress(quiet=as_json) as progress:

            def on_file(file: DataFile, url: str) -> ByteProgress:
                task = progress.add_task(file.key, total=None)

                def update(done: int, total: int | None) -> None:
                    progress.update(task, completed=done, total=total)

                return update

            outcomes = fetch_data_sources(
                sources,
                settings.cache_dir,
                mirror=settings.download_mirror,
                onet_base=settings.onet_base_url(),
                user_agent=settings.http_user_agent,
                force=force,
                only=only or [],
                on_file=on_file,
            )
    failed = [o for o in outcomes if o.status == "failed"]
    if as_json:
        _print_json({"files": [_fetch_outcome_json(o) for o in outcomes]}, chosen_release)
        raise typer.Exit(1 if failed else 0)
    table = _table(title=f"data sources in {settings.cache_dir}", title_justify="left")
    for column in ("source", "file", "status", "size", "licence"):
        table.add_column(column, justify="right" if column == "size" else "left")
    shown: set[str] = set()
    for o in outcomes:
        style = {"failed": "bold red", "downloaded": "green"}.get(o.status, "")
        status = f"[{style}]{o.status}[/]" if style else o.status
        first = o.source.key not in shown
        shown.add(o.source.key)
        source, licence = (o.source.key, o.source.licence) if first else ("", "")
        table.add_row(source, o.file.key, status, _size(o.size_bytes), licence)
    console.print(table)
    for o in outcomes:
        if o.file.key == "onet-release" and o.status != "failed":
            console.print(f"O*NET {chosen_release} is at {o.path}", soft_wrap=True)
    for o in failed:
        err_console.print(f"[bold red]error:[/] {o.file.key}: {o.message}", soft_wrap=True)
        err_console.print(f"  place it by hand: {o.manual}", soft_wrap=True)
    if failed:
        required = [o for o in failed if o.source.required]
        if not required:
            err_console.print(
                "the graph still loads without them, with fewer facts "
                f"({', '.join(sorted({o.source.used_for for o in failed}))})",
                soft_wrap=True,
            )
        raise typer.Exit(1)


class _BuildDisplay:
    """Progress of building the memory graph (first run, or ``careergraph load``): O*NET
    tables read, BLS figures and derived moves, graph built. Tasks appear only when the
    build runs; a snapshot restore shows nothing."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.started = time.perf_counter()
        self.built = False
        self._read: TaskID | None = None
        self._derive: TaskID | None = None
        self._load: TaskID | None = None

    def on_table(self, table: str, rows: int) -> None:
        """A table of the O*NET release was read (:data:`loaders.onet.ProgressCallback`)."""
        if self._read is None:
            self.built = True
            self._read = self.progress.add_task("reading O*NET tables", total=ONET_READ_STEPS)
        self.progress.update(self._read, advance=1, description=f"read {table[:29]}")
        task = self.progress.tasks[self._read]
        if task.completed >= ONET_READ_STEPS and self._derive is None:
            self.progress.update(self._read, description="read O*NET tables")
            self._derive = self.progress.add_task("BLS figures, similarity, moves", total=None)

    def on_read(self, release: OnetRelease) -> None:
        """The release was read and its derived parts computed."""
        self.built = True
        if self._derive is not None:
            self.progress.update(self._derive, total=1, completed=1)

    def on_rows(self, step: str, done: int, total: int) -> None:
        """Graph building progress (:data:`graph.store.LoadProgress`)."""
        if self._load is None:
            self._load = self.progress.add_task("building the graph", total=total)
        self.progress.update(self._load, completed=done, total=total, description=f"{step}")


def _open_loaded_store(
    settings: Settings, backend: str | None, onet: Path | None = None
) -> GraphStore:
    """:func:`api.deps.open_loaded_store` with a progress display (stderr) while the memory
    graph is built; a note says when it was built and that a snapshot keeps it."""
    with _progress(transient=True) as progress:
        display = _BuildDisplay(progress)
        store = open_loaded_store(
            settings,
            backend,
            onet=onet,
            progress=display.on_rows,
            on_read=display.on_read,
            read_progress=display.on_table,
        )
    if display.built:
        seconds = time.perf_counter() - display.started
        err_console.print(
            f"[dim]built the graph in {seconds:.0f} s; a snapshot in "
            f"{settings.cache_dir / 'snapshots'} makes later runs start fast[/]",
            soft_wrap=True,
        )
    return store


@app.command()
def load(
    backend: BackendOption = None,
    onet: Annotated[
        Path | None, typer.Option(help="O*NET release folder or zip (default: settings)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    allow_shrink: Annotated[
        bool,
        typer.Option(
            help=f"replace the loaded graph even if a table lost more than "
            f"{MAX_TABLE_LOSS:.0%} of its rows"
        ),
    ] = False,
) -> None:
    """Read and check an O*NET release and load it into the graph, replacing the loaded one.

    All or nothing: a damaged file, or a release with far fewer rows than the loaded one
    (unless --allow-shrink), stops with one error line and leaves the loaded graph as it was.
    Neo4j: one transaction. Memory: the graph is saved as the snapshot that later runs
    (path, serve) start from.
    """
    settings = get_settings()
    started = time.perf_counter()
    snapshot: Path | None = None
    with _errors():
        store = open_store(settings, backend)
        try:
            if store.backend == "neo4j":
                from careergraph.graph.backends.neo4j_store import Neo4jStore

                assert isinstance(store, Neo4jStore)
                store.verify()  # fail at once if it is not running, not after reading
            counts, release, read_s = _load_release(
                settings, store, onet, allow_shrink, quiet=as_json
            )
            if isinstance(store, NetworkxStore):
                snapshot = save_memory_graph(settings, store, onet)
        finally:
            store.close()
        total_s = time.perf_counter() - started
    if as_json:
        _print_json(
            {"backend": store.backend, "release": release, "counts": counts.model_dump()},
            release,
        )
        return
    console.print(_counts_table(counts, f"O*NET {release} in {store.backend}"))
    console.print(f"read {read_s:.1f} s, load {total_s - read_s:.1f} s, total {total_s:.1f} s")
    if isinstance(store, NetworkxStore):
        where = f"saved as {snapshot}" if snapshot else "not saved (see the warning)"
        console.print(f"[dim]memory graph {where}; later runs with the same files use it.[/]")


def _load_release(
    settings: Settings,
    store: GraphStore,
    onet: Path | None,
    allow_shrink: bool,
    *,
    quiet: bool = False,
) -> tuple[GraphCounts, str, float]:
    """Read the release (progress bars unless ``quiet``) and replace the store's graph with
    it; return the counts, the release label and the reading time (s)."""
    from careergraph.loaders.pipeline import read_release

    loaded = None
    if isinstance(store, NetworkxStore):  # its loaded graph is the newest snapshot
        header = read_memory_graph_header(settings)
        loaded = header.table_rows if header else None
    started = time.perf_counter()
    with _progress(quiet=quiet, transient=True) as progress:
        read_task = progress.add_task("reading O*NET tables", total=ONET_READ_STEPS)

        def on_table(table: str, rows: int) -> None:
            progress.update(read_task, advance=1, description=f"read {table[:28]}")

        release = read_release(settings.release_sources(onet), on_table)
        progress.update(read_task, description=f"read O*NET {release.release}")
        read_s = time.perf_counter() - started
        write_task = progress.add_task(f"loading into {store.backend}", total=None)

        def on_rows(step: str, done: int, total: int) -> None:
            progress.update(write_task, completed=done, total=total, description=f"load {step}")

        counts = replace_graph(
            store, release, allow_shrink=allow_shrink, loaded_table_rows=loaded, progress=on_rows
        )
    return counts, release.release, read_s


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
    if hop.same_bls_group is not None:
        lines.append(f"wage, growth: same BLS group ({hop.same_bls_group})")
    elif hop.wage_change_usd is not None and hop.wage_change_pct is not None:
        lines.append(f"wage {hop.wage_change_usd:+,.0f} $ ({hop.wage_change_pct:+.1f} %)")
    if hop.to_growth_pct is not None and hop.same_bls_group is None:
        bright = " bright" if hop.to_bright_outlook else ""
        lines.append(f"growth {hop.to_growth_pct:+.1f} %{bright}")
    groups = {hop.from_figures_for, hop.to_figures_for} - {None, hop.same_bls_group}
    lines += [f"[dim]BLS figures of {group}[/]" for group in sorted(g for g in groups if g)]
    zone = f"job zone {hop.from_job_zone}->{hop.to_job_zone}"
    if hop.job_zone_change:
        zone += f" ({hop.job_zone_change:+d})"
    lines.append(zone)
    if hop.education_change:
        lines.append(f"education: {hop.to_entry_education}")
    return "\n".join(lines)


_HOW = {
    "code": "O*NET-SOC code",
    "exact": "exact match",
    "alternate": "{kind} title {title!r}",
    "fuzzy": "fuzzy match {title!r}, score {score:g}",
}


def print_resolution(label: str, res: TitleResolution) -> None:
    """Print how a role was resolved: the occupation and how it was found; when another
    occupation is about as likely, "'QUERY' could mean: ..." with the candidates."""
    best = res.matches[0]
    how = _HOW[res.confidence].format(title=best.title, score=best.score, kind=best.match_kind)
    console.print(
        f"[bold]{label}[/] {res.query!r} -> {best.code} {best.occupation_title} [dim]({how})[/]"
    )
    if res.interpreted_as:
        console.print(f"   [dim]read as {res.interpreted_as!r}[/]")
    if res.ambiguous:
        options = "; ".join(f"{m.code} {m.occupation_title}" for m in res.candidates)
        console.print(f"   [yellow]{res.query!r} could mean: {options}[/]")
        console.print("   [dim]using the first; give an O*NET-SOC code to choose another[/]")
    elif res.runners_up:
        others = "; ".join(f"{m.code} {m.occupation_title}" for m in res.runners_up[:3])
        console.print(f"   [dim]runners-up: {others}[/]")


def _print_paths(result: PathQueryResult, neo4j_http_url: str) -> None:
    """The routes as tables, each followed by the Neo4j Browser link that draws it."""
    for label, res in (("from", result.source), ("to", result.target)):
        print_resolution(label, res)
    if result.same_occupation is not None:
        console.print(f"[bold green]{escape(result.same_occupation.message)}[/]")
    for number, path in enumerate(result.paths, start=1):
        _print_route(f"Route {number}", path, neo4j_http_url)
    for alternative in result.alternatives:
        console.print(
            f"[bold]Also consider {alternative.code} {escape(alternative.title)}:[/]"
            f" {escape(alternative.reason)}"
        )
        for path in alternative.paths:
            _print_route(f"Route to {alternative.title}", path, neo4j_http_url)


def _print_route(label: str, path: CareerPath, neo4j_http_url: str) -> None:
    """One route as a table, then the Neo4j Browser link that draws it (the route's
    ``cypher.browser_url`` in ``GET /v1/paths``)."""
    from careergraph.api.routes.paths import route_cypher

    table = _table(
        title=f"{label}: {' -> '.join(path.titles)}  (cost {path.total_cost:.1f})",
        title_justify="left",
    )
    table.add_column("hop")
    table.add_column("why this move")
    table.add_column("cost", justify="right")
    table.add_column("pay, outlook, preparation")
    table.add_column("to learn (skills LV from->to; in-demand technologies)")
    for hop in path.hops:
        learn = [
            f"{g.name} {g.from_level:g}->{g.to_level:g}"
            if g.from_level is not None
            else f"{g.name} (needs LV {g.to_level:g}; source unrated)"
            for g in hop.skills_to_gain[:3]
        ]
        learn += [f"{g.name} (knowledge)" for g in hop.knowledge_to_gain[:1]]
        if hop.technologies_to_learn:
            learn.append("in-demand tech: " + ", ".join(hop.technologies_to_learn))
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
    relationships = [hop.relationship for hop in path.hops]
    link = route_cypher(path.codes, relationships, neo4j_http_url).browser_url
    console.print(f"[dim]Neo4j Browser (draws {label.lower()}):[/] {link}", soft_wrap=True)


class RouteFormat(StrEnum):
    """How ``careergraph path`` prints its routes."""

    TABLE = "table"
    MERMAID = "mermaid"


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
    output: Annotated[
        RouteFormat,
        typer.Option(
            "--format",
            help="table (default: each hop explained, with a Neo4j Browser link per route) "
            "or mermaid (the routes as a Mermaid flowchart, as the web page draws them)",
        ),
    ] = RouteFormat.TABLE,
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
        store = _open_loaded_store(settings, backend)
        try:
            result = find_career_paths(
                store, source, target, k=k, max_hops=max_hops, filters=filters
            )
            release = store.loaded_release()
        finally:
            store.close()
    if as_json:
        _print_json(result.model_dump(mode="json"), release)
        return
    if output is RouteFormat.MERMAID:
        typer.echo(route_mermaid(result))
        return
    _print_paths(result, settings.neo4j_http_url)
    console.print(f"[dim]{ATTRIBUTION.format(release=release)}[/]")


def _titles_table(results: list[TitleMatch]) -> Table:
    table = _table(title_justify="left")
    for column in ("code", "occupation", "matched title", "kind", "score", "O*NET sources"):
        table.add_column(column, justify="right" if column == "score" else "left")
    for m in results:
        sources = ",".join(m.onet_sources) + (" +MNM" if m.shown_in_my_next_move else "")
        table.add_row(
            m.code, m.occupation_title, m.title, m.match_kind, f"{m.score:g}", sources or "-"
        )
    return table


def _rated_table(title: str, elements: list[RatedElement]) -> Table:
    table = _table(title=title, title_justify="left")
    table.add_column("element")
    table.add_column("importance (IM 1-5)", justify="right")
    table.add_column("level (LV 0-7)", justify="right")
    table.add_column("estimated from")
    for e in elements:
        table.add_row(
            e.name, f"{e.importance:g}", f"{e.level:g}", "/".join(e.estimated_from) or "-"
        )
    return table


@app.command()
def titles(
    query: Annotated[str, typer.Argument(help="job title (free text) or O*NET-SOC code")],
    limit: Annotated[int, typer.Option(min=1, max=50, help="titles listed")] = 10,
    backend: BackendOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (as GET /v1/titles)")] = False,
) -> None:
    """Which occupation does a job title name? How it resolves, then matching titles."""
    settings = get_settings()
    with _errors():
        store = open_loaded_store(settings, backend)
        try:
            found = look_up_titles(store, query, limit)
            release = store.loaded_release()
        finally:
            store.close()
    if as_json:
        attribution = AttributionResponse.for_release(release or "unknown")
        response = TitleSearchResponse(**dict(found), attribution=attribution)
        console.print_json(response.model_dump_json())
        return
    if found.resolution is not None:
        print_resolution("resolves", found.resolution)
    else:
        console.print(f"[bold]{found.query!r}[/] names no occupation.")
    if found.results:
        heading = "did you mean" if found.resolution is None else "matching titles"
        table = _titles_table(found.results)
        table.title = heading
        console.print(table)
    console.print(f"[dim]{ATTRIBUTION.format(release=release)}[/]")


WORKER_STARTUP_TIMEOUT_S = 120
"""Seconds a ``serve`` worker may take to answer uvicorn's health check (its start
restores the memory graph)."""


def default_workers() -> int:
    """Worker processes ``careergraph serve`` runs by default: one per CPU this process
    may use (``os.sched_getaffinity``, else ``os.cpu_count()``), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
    backend: BackendOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=256,
            help="worker processes, each answering requests on its own core (default: one per CPU)",
        ),
    ] = None,
) -> None:
    """Serve the HTTP API (uvicorn); interactive docs at http://HOST:PORT/docs.

    The memory backend's graph is restored from its snapshot before the server starts
    listening; on a first run (no snapshot for these sources and this code) a forked child
    builds it (with a progress display) and writes the snapshot, which is then restored, so
    a first run serves the same compact graph as later runs. With several workers (the default on a
    machine with several CPUs) they are forked from this process once it holds the graph,
    so they answer at once and share its memory pages until they write to them. Neo4j
    workers each open their own driver. One port is shared.
    """
    with collector_paused():  # as the console command's own imports (api/console.py)
        import uvicorn

        from careergraph.api.app import create_app
        from careergraph.api.deps import open_api_store, restore_memory_graph

    settings = get_settings()
    chosen = backend or settings.backend
    count = workers or default_workers()
    store: GraphStore | None = None
    with _errors():
        if chosen not in ("memory", "neo4j"):
            raise CareerGraphError(f"unknown backend {chosen!r}: use memory or neo4j")
        # Opened here, not in the app's lifespan, so a bad release or setting ends the
        # command with one error line instead of uvicorn's traceback; the memory graph is
        # restored (frozen out of the collector's reach) or built (with a progress
        # display) before the server listens.
        if chosen == "memory":
            store = restore_memory_graph(settings)  # None: no snapshot for these inputs
        if store is None:
            if chosen == "neo4j" or _build_memory_snapshot(settings):
                store = open_api_store(settings, chosen)  # a restored graph is frozen (gc)
            else:  # snapshots unusable here (no install key, cache not writable)
                store = _open_loaded_store(settings, chosen)
                freeze_long_lived(collect_first=True)  # what building left, then the graph
    plural = "s" if count > 1 else ""
    message = f"careergraph API ({chosen}, {count} worker{plural}) on http://{host}:{port}/docs"
    typer.echo(message, err=True)  # plain: a warm start imports no rich
    if count == 1:
        try:
            uvicorn.run(create_app(settings, backend=chosen, store=store), host=host, port=port)
        finally:
            store.close()
        return
    from uvicorn.supervisors.multiprocess import Multiprocess

    if chosen == "memory":
        # Workers forked from this process with the app and its graph: no worker imports
        # or restores anything (a spawned worker took ~2 s to import and restore, both at
        # once on the same cores).
        config = uvicorn.Config(
            create_app(settings, backend=chosen, store=store),
            host=host,
            port=port,
            workers=count,
            timeout_worker_healthcheck=WORKER_STARTUP_TIMEOUT_S,
        )
    else:
        # Neo4j: uvicorn spawns fresh processes that import the app factory; each opens
        # its own driver in its lifespan (a driver's connections are not shared).
        store.close()
        store = None
        os.environ["CAREERGRAPH_BACKEND"] = chosen
        config = uvicorn.Config(
            "careergraph.api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=count,
            timeout_worker_healthcheck=WORKER_STARTUP_TIMEOUT_S,
        )
    own_sockets = REUSE_PORT
    if own_sockets:
        # Each worker listens on a socket of its own (SO_REUSEPORT: the kernel
        # spreads new connections over them); with one shared listening socket the
        # least busy worker did not get the connections: 12-16 of 16 keep-alive
        # connections went to one worker, and half the cores sat idle. This socket only
        # holds the port (bound, not listening: it is given no connections).
        with _errors():
            tcp = _port_socket(host, port, listen=False)
    else:
        listening = config.bind_socket()
        # uvicorn binds with protocol 0, so the connections its workers accept miss
        # asyncio's TCP_NODELAY (set only on IPPROTO_TCP sockets) and every answer waited
        # ~40 ms for the client's delayed ACK (Nagle). The same descriptor, declared TCP:
        tcp = socket.socket(
            listening.family, listening.type, socket.IPPROTO_TCP, listening.detach()
        )
    try:
        with _forked_workers(chosen == "memory", own_sockets=own_sockets):
            Multiprocess(config, sockets=[tcp]).run()
    finally:
        if store is not None:
            store.close()


def _build_memory_snapshot(settings: Settings) -> bool:
    """Build the memory graph from the sources and write its snapshot in a forked child
    process (with the progress display); True if the snapshot is then ready to restore.

    ``serve`` then restores the snapshot like a warm start instead of serving the graph it
    built: a built store holds ~2x the memory of a restored one (624-740 MB against ~300 MB
    per process, what building left in the allocator's arenas and the store's own build-time
    objects) and answered ~30 % slower. The child's memory goes back to the system when it
    exits; the cost is one restore (~0.5 s of CPU) after the build. False, without building, where
    snapshots cannot be used (no usable install key, or no ``fork``).

    Raises
    ------
    typer.Exit
        The build failed (the child printed the error line).
    """
    try:
        read_install_key(settings.snapshot_key_file)
    except SnapshotKeyError:
        return False
    if not hasattr(os, "fork"):
        return False
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: build, write the snapshot, exit without freeing the graph
        code = 1
        try:
            with _errors():
                _open_loaded_store(settings, "memory")
            code = 0
        except typer.Exit as exc:
            code = exc.exit_code
        except BaseException as exc:
            logger.exception("building the memory graph failed")
            print_error(f"building the memory graph failed: {exc!r}")
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code < 0:  # killed (e.g. out of memory): the child printed nothing
        print_error(f"building the memory graph failed: its process was killed (signal {-code})")
    if code != 0:
        raise typer.Exit(code if code > 0 else 1)
    err_console.print(
        f"[dim]built in a child process (peak RSS {usage.ru_maxrss / 1024:.0f} MB); "
        "serving the snapshot it wrote[/]"
    )
    ready = memory_snapshot_ready(settings)
    if not ready:
        logger.warning("the memory snapshot was not written: building the graph again here")
    return ready


REUSE_PORT = sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT")
"""Forked workers each listen on their own socket of the one port (Linux balances new
connections over such sockets by a hash of the client's address and port)."""


def _port_socket(host: str, port: int, *, listen: bool) -> socket.socket:
    """A TCP socket (``IPPROTO_TCP``: asyncio then sets ``TCP_NODELAY`` on its
    connections) bound to ``host:port`` with ``SO_REUSEADDR`` and ``SO_REUSEPORT``,
    listening when ``listen``.

    Raises
    ------
    CareerGraphError
        The address cannot be bound (in use by another program, or not an address of
        this machine).
    """
    family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
        if listen:
            sock.listen(2048)  # uvicorn's default backlog
    except OSError as exc:
        sock.close()
        raise CareerGraphError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.set_inheritable(True)
    return sock


def _serve_on_own_socket(config: Any, target: Any) -> None:
    """A forked worker's start: listen on a socket of its own, then serve as uvicorn's
    ``subprocess_started`` does."""
    from uvicorn._subprocess import subprocess_started

    sockets = [_port_socket(config.host, config.port, listen=True)]
    subprocess_started(config=config, target=target, sockets=sockets, stdin_fileno=None)


@contextmanager
def _forked_workers(fork: bool, *, own_sockets: bool = False) -> Iterator[None]:
    """While inside, uvicorn's worker supervisor forks its workers instead of spawning
    them (``fork``): uvicorn 0.54 offers no option for it, so its ``get_subprocess`` is
    replaced by the same process made with the ``fork`` start method (this process is
    single-threaded when the workers are made: the supervisor's own thread starts later).
    With ``own_sockets`` each worker (forked or spawned) listens on a socket of its own
    (:func:`_serve_on_own_socket`) instead of the supervisor's."""
    import multiprocessing

    import uvicorn.supervisors.multiprocess as supervisor
    from uvicorn._subprocess import subprocess_started

    if not fork and not own_sockets:
        yield
        return

    def forked(config: Any, target: Any, sockets: list[socket.socket]) -> Any:
        process = (
            multiprocessing.get_context("fork").Process
            if fork
            else multiprocessing.get_context("spawn").Process
        )
        if own_sockets:
            own = {"config": config, "target": target}
            return process(target=_serve_on_own_socket, kwargs=own)
        kwargs = {"config": config, "target": target, "sockets": sockets, "stdin_fileno": None}
        return process(target=subprocess_started, kwargs=kwargs)

    spawned = vars(supervisor)["get_subprocess"]
    setattr(supervisor, "get_subprocess", forked)  # noqa: B010 (not exported: mypy)
    try:
        yield
    finally:
        setattr(supervisor, "get_subprocess", spawned)  # noqa: B010


def _run_neo4j_script(action: str, script: Path | None = None) -> None:
    """Run ``scripts/neo4j ACTION`` of the repository checkout; exit with its code.

    Raises:
        typer.Exit: always; code 1 with one error line when the script is not there (an
            installed wheel carries no Neo4j installer: run the checkout's script or a
            Neo4j of your own, e.g. the repository's docker-compose.yml, and set NEO4J_URI).
    """
    script = script or REPO_ROOT / "scripts" / "neo4j"
    if not script.is_file():
        print_error(
            f"careergraph neo4j {action} runs the repository's scripts/neo4j, which this "
            "installation does not have (it was installed from a wheel). Start Neo4j 5.26 "
            "another way (the repository's docker-compose.yml, or scripts/neo4j in a "
            "checkout) and point careergraph at it with NEO4J_URI, NEO4J_USERNAME and "
            "NEO4J_PASSWORD."
        )
        raise typer.Exit(1)
    completed = subprocess.run(["bash", str(script), action], check=False)
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
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Print a Neo4j Browser URL with a saved query pre-filled; without QUERY, list them.

    Parameters not given with --param take the example values written in the query
    file's "Example params" header line.
    """
    if query is None:
        queries = {
            name: read_query_header(read_saved_query(name)).get("Question", "")
            for name in saved_query_names()
        }
        if as_json:
            _print_json({"queries": [{"name": n, "question": q} for n, q in queries.items()]}, None)
            return
        for name, question in queries.items():
            typer.echo(f"{name:<36} {question}")
        return
    settings = get_settings()
    with _errors():
        text = read_saved_query(query)
        params = read_example_params(query) | parse_param_options(param or [])
        url = browser_url(settings.neo4j_http_url, build_browser_text(text, params))
    if as_json:
        _print_json({"query": query, "parameters": params, "url": url}, None)
    else:
        typer.echo(url)
    source = settings.neo4j_password_source or "NEO4J_PASSWORD"
    err_console.print(
        f"[dim]log in as {settings.neo4j_user} (password: {source}), "
        "then press Run (Ctrl+Enter); see docs/browser.md[/]"
    )
    if open_url:
        webbrowser.open(url)


# -- occupation, related, gap: what the HTTP API answers, in the terminal ------------------

RoleArgument = Annotated[str, typer.Argument(help="job title or O*NET-SOC code")]
LimitOption = Annotated[int, typer.Option("--limit", "-n", min=1, max=50, help="entries per list")]


def _resolve_code(store: GraphStore, text: str) -> str:
    """The O*NET-SOC code ``text`` names, or its best-matching occupation's code.

    Raises
    ------
    UnknownOccupationError
        Nothing matches (with up to five suggestions; nearby codes for a code).
    """
    return resolve_title(store, text).codes[0]


def _read_for_role(backend: str | None, role: str, read: Callable[..., T], *args: object) -> T:
    """``read(store, code, *args)`` on the configured store for the occupation ``role``
    names (:func:`_resolve_code`); the store is closed afterwards. Errors are left to the
    caller's :func:`_errors` block."""
    store = _open_loaded_store(get_settings(), backend)
    try:
        return read(store, _resolve_code(store, role), *args)
    finally:
        store.close()


def _money(value: float | None) -> str:
    return "-" if value is None else f"${value:,.0f}"


def _labor_lines(figures: LaborMarketFigures | None, code: str) -> list[str]:
    """BLS figures in words, marking group figures (aggregate or parent SOC code)."""
    if figures is None:
        return ["BLS: no wages or projections for this occupation"]
    lines = []
    if figures.median_wage_usd is not None:
        spread = ""
        if figures.wage_p10_usd is not None and figures.wage_p90_usd is not None:
            spread = f" (10%-90%: {_money(figures.wage_p10_usd)}-{_money(figures.wage_p90_usd)})"
        lines.append(f"median wage {_money(figures.median_wage_usd)} a year{spread}")
    if figures.growth_pct is not None:
        bright = ", Bright Outlook" if figures.bright_outlook else ""
        lines.append(
            f"employment {figures.employment_2024_thousands:,.1f}k (2024) -> "
            f"{figures.employment_2034_thousands:,.1f}k (2034), {figures.growth_pct:+.1f} %, "
            f"{figures.annual_openings_thousands:,.1f}k openings a year{bright}"
        )
    if figures.typical_entry_education:
        lines.append(f"typical entry education: {figures.typical_entry_education}")
    if figures.bls_is_aggregate:
        lines.append(f"[dim]BLS group figures: {figures.bls_soc_code} (an aggregate)[/]")
    elif figures.bls_soc_code != code[:7]:
        lines.append(f"[dim]BLS figures of the SOC code {figures.bls_soc_code}[/]")
    return lines


@app.command()
def occupation(
    role: RoleArgument,
    limit: LimitOption = 10,
    backend: BackendOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print JSON (as GET /v1/occupations)")
    ] = False,
) -> None:
    """One occupation: description, job zone, BLS pay and outlook, top skills and knowledge
    (O*NET importance 1-5, level 0-7), hot technologies, education shares."""
    from careergraph.api.routes.occupations import read_occupation

    with _errors():
        answer = _read_for_role(backend, role, read_occupation, limit)
    if as_json:
        _print_json(answer.model_dump(mode="json"), None)
        return
    zone = f"job zone {answer.job_zone}" if answer.job_zone else "no job zone"
    console.print(f"[bold]{answer.code} {answer.title}[/] ({zone})")
    console.print(answer.description)
    for line in _labor_lines(answer.labor_market, answer.code):
        console.print(line)
    for note in answer.estimated_ratings:
        console.print(f"[yellow]estimated:[/] {escape(note)}")
    for label, elements in (("skills", answer.skills), ("knowledge", answer.knowledge)):
        if not elements:
            console.print(f"[dim]no O*NET {label} ratings[/]")
            continue
        console.print(_rated_table(f"top {label}", elements))
    if answer.hot_technologies:
        names = [t.name + (" (in demand)" if t.in_demand else "") for t in answer.hot_technologies]
        console.print(
            f"hot technologies ({answer.hot_technology_count} of {answer.technology_count}): "
            + ", ".join(names)
        )
    if answer.education:
        shares = ", ".join(f"{e.name} {e.share_pct:.0f} %" for e in answer.education)
        console.print(f"education required (share of workers): {shares}")
    console.print(f"[dim]{answer.attribution.text}[/]")


def _money_range(low: float | None, high: float | None) -> str:
    return f"{_money(low)}-{_money(high)}" if low is not None and high is not None else "-"


def _group_note(figures_for: str | None) -> str:
    return f" [yellow](group figure: {figures_for})[/]" if figures_for else ""


def _estimated_mark(item: Any) -> str:
    return " [yellow]*[/]" if getattr(item, "estimated_from", None) else ""


def print_role(answer: RoleResponse) -> None:
    """Print a role's page (``careergraph show``): every section of
    :class:`graph.role_profile.RoleProfile`, in reading order."""
    print_resolution("role", answer.resolution)
    zone = f"job zone {answer.job_zone}" if answer.job_zone else "no job zone"
    console.rule(f"[bold]{answer.title}[/] ({answer.code}, {zone})", align="left")
    span = answer.title_span
    if span is not None:
        console.print(f"[yellow]{span.note}[/]")
        table = _table(title_justify="left", title=f"the occupations titled {span.title!r}")
        for column in ("occupation", "median wage", "growth 2024-34", "employment 2024"):
            table.add_column(column, justify="left" if column == "occupation" else "right")
        for o in span.occupations:
            growth = "-" if o.growth_pct is None else f"{o.growth_pct:+.1f} %"
            employment = (
                "-"
                if o.employment_2024_thousands is None
                else (f"{o.employment_2024_thousands:,.1f}k")
            )
            label = f"{o.code} {o.title}" + (
                f"\n[dim]group: {o.figures_for}[/]" if o.figures_for else ""
            )
            table.add_row(label, _money(o.median_wage_usd), growth, employment)
        console.print(table)
        if span.median_wage_usd is not None:
            w = span.median_wage_usd
            console.print(
                f"median wage across them: {_money_range(w.low, w.high)}, employment-weighted"
                f" {_money(w.weighted)}, plain mean {_money(w.plain_mean)}"
            )
        if span.growth_pct is not None:
            g = span.growth_pct
            console.print(
                f"growth across them: {g.low:+.1f} % to {g.high:+.1f} %, employment-weighted"
                f" {g.weighted:+.1f} %, plain mean {g.plain_mean:+.1f} %"
            )
        if span.employment_2024_thousands is not None:
            console.print(f"employment counted: {span.employment_2024_thousands:,.1f}k jobs (2024)")
        console.print(f"[dim]method: {span.method}[/]", soft_wrap=True)
    console.print(f"\n[bold]Summary[/]  {answer.summary}")
    console.print(answer.description)
    release = f", O*NET {answer.tasks_release}" if answer.tasks_release else ""
    console.print(
        f"\n[bold]What they do[/] ({len(answer.tasks)} of {answer.task_count} tasks{release})"
    )
    for task in answer.tasks:
        kind = "" if task.task_type == "Core" else f" [dim]({task.task_type or 'unrated'})[/]"
        console.print(f"  - {task.statement}{kind}")
    if not answer.tasks:
        console.print("  [dim]O*NET lists no tasks for this occupation[/]")
    thrives = answer.who_thrives
    console.print(f"\n[bold]Who thrives[/]  interests {thrives.interest_code}: {thrives.summary}")
    if thrives.interests:
        console.print(
            "  interests (OI 1-7): "
            + ", ".join(f"{i.name} {i.value:.2f}{_estimated_mark(i)}" for i in thrives.interests)
        )
    if thrives.work_styles:
        console.print(
            "  work styles (importance 1-5): "
            + ", ".join(f"{w.name} {w.value:.2f}{_estimated_mark(w)}" for w in thrives.work_styles)
        )
    if thrives.work_values:
        console.print(
            "  work values (extent 1-7): "
            + ", ".join(f"{w.name} {w.value:.2f}{_estimated_mark(w)}" for w in thrives.work_values)
        )
    console.print("\n[bold]Core skills and knowledge[/] (importance 1-5, level 0-7)")
    for label, elements in (("skills", answer.skills), ("knowledge", answer.knowledge)):
        if not elements:
            console.print(f"  {label}: [dim]O*NET rates none for this occupation[/]")
            continue
        console.print(
            f"  {label}: "
            + ", ".join(
                f"{e.name} {e.importance:.2f}/{e.level:.2f}{_estimated_mark(e)}" for e in elements
            )
        )
    education = answer.education
    console.print("\n[bold]Typical education[/]")
    if education.typical_entry_education:
        console.print(f"  BLS typical entry education: {education.typical_entry_education}")
    if education.headline:
        mark = _estimated_mark(education.shares[0]) if education.shares else ""
        console.print(f"  O*NET: {education.headline}{mark}")
        console.print(
            "  "
            + ", ".join(
                f"{short_level_name(e.name)} {e.value:.0f} %"
                for e in education.shares
                if e.value >= 1
            )
        )
    pay, outlook = answer.pay, answer.outlook
    console.print("\n[bold]Pay[/]")
    if pay is None or pay.median_wage_usd is None:
        console.print("  [dim]BLS publishes no wages for this occupation[/]")
    else:
        console.print(
            f"  median {_money(pay.median_wage_usd)} a year; 10th-90th percentile"
            f" {_money_range(pay.wage_p10_usd, pay.wage_p90_usd)}; 25th-75th"
            f" {_money_range(pay.wage_p25_usd, pay.wage_p75_usd)}{_group_note(pay.figures_for)}"
        )
    console.print("\n[bold]Employment and outlook[/]")
    if outlook is None or outlook.growth_pct is None:
        console.print("  [dim]BLS publishes no projections for this occupation[/]")
    else:
        bright = ", [green]Bright Outlook[/]" if outlook.bright_outlook else ""
        console.print(
            f"  {outlook.employment_2024_thousands or 0:,.1f}k jobs (2024) ->"
            f" {outlook.employment_2034_thousands or 0:,.1f}k (2034), {outlook.growth_pct:+.1f} %;"
            f" {outlook.annual_openings_thousands or 0:,.1f}k openings a year{bright}"
            f"{_group_note(outlook.figures_for)}"
        )
    console.print("\n[bold]Closely related roles[/] (O*NET Related Occupations)")
    for link in answer.related:
        console.print(f"  {link.rank}. {link.code} {link.title} [dim]({link.tier})[/]")
    console.print("\n[bold]Where it leads[/] (career moves, cheapest first)")
    for step in answer.next_steps:
        why = "; ".join(step.reasons[:2])
        console.print(
            f"  {step.code} {step.title} [dim]({step.kind.replace('_', ' ')}, cost"
            f" {step.cost:.1f}: {why})[/]"
        )
    observed = any(m.relationship == "MOVED_TO" for m in answer.incoming)
    how = "observed moves, CPS ASEC" if observed else "career moves into the role"
    console.print(f"\n[bold]Where people come from[/] ({how})")
    console.print(f"  [dim]{answer.incoming_method}[/]", soft_wrap=True)
    for move in answer.incoming:
        if move.text:
            console.print(f"  {move.code} {escape(move.title)} [dim]({escape(move.text)})[/]")
            continue
        kind = (move.kind or "").replace("_", " ")
        console.print(f"  {move.code} {move.title} [dim]({kind}, cost {move.cost or 0:.1f})[/]")
    if answer.estimates:
        console.print("\n[yellow]* estimated:[/]")
        for note in answer.estimates:
            console.print(f"  [yellow]{note}[/]", soft_wrap=True)
    console.print(f"\n[dim]sources: {'; '.join(answer.sources)}[/]")
    console.print(f"[dim]{answer.attribution.text}[/]")


@app.command()
def show(
    role: RoleArgument,
    backend: BackendOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (as GET /v1/roles)")] = False,
) -> None:
    """A role's page: summary, tasks, who thrives, skills and knowledge, education, pay,
    outlook, related roles and where the role leads and comes from; when the title names
    several occupations, all of them with the figures across them."""
    from careergraph.api.routes.roles import read_role

    settings = get_settings()
    with _errors():
        store = _open_loaded_store(settings, backend)
        try:
            answer = read_role(store, role)
        finally:
            store.close()
    if as_json:
        _print_json(answer.model_dump(mode="json"), None)
        return
    print_role(answer)


@app.command()
def related(
    role: RoleArgument,
    backend: BackendOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print JSON (as GET /v1/occupations/CODE/related)")
    ] = False,
) -> None:
    """O*NET's related occupations of a role (tier, rank, hop cost) and the career moves
    (LEADS_TO) out of it, cheapest first, with why each move exists."""
    from careergraph.api.routes.occupations import read_related

    with _errors():
        answer = _read_for_role(backend, role, read_related)
    if as_json:
        _print_json(answer.model_dump(mode="json"), None)
        return
    console.print(f"[bold]{answer.occupation.code} {answer.occupation.title}[/]")
    table = _table(title="O*NET related occupations", title_justify="left")
    for column in ("rank", "tier", "occupation", "job zone", "cost"):
        table.add_column(column, justify="right" if column in ("rank", "cost") else "left")
    for link in answer.related:
        table.add_row(
            str(link.rank),
            link.tier,
            f"{link.code} {link.title}",
            str(link.job_zone or "-"),
            f"{link.cost:.1f}",
        )
    console.print(table)
    moves = _table(title="career moves (LEADS_TO), cheapest first", title_justify="left")
    for column in ("kind", "occupation", "cost", "why"):
        moves.add_column(column, justify="right" if column == "cost" else "left")
    for step in answer.next_steps:
        moves.add_row(
            step.kind.replace("_", " "),
            f"{step.code} {step.title}",
            f"{step.cost:.1f}",
            "; ".join(step.reasons),
        )
    console.print(moves)
    console.print(f"[dim]{answer.attribution.text}[/]")


@app.command("next-steps")
def next_steps(
    role: RoleArgument,
    limit: Annotated[int, typer.Option(min=1, max=200, help="occupations listed")] = 20,
    backend: BackendOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print JSON (as GET /v1/occupations/CODE/next-steps)")
    ] = False,
) -> None:
    """Where people who leave a role are likely to work next, over every occupation: the
    move model's probability (an estimate), the observed CPS ASEC share where there is one,
    and whether routes can take the step."""
    from careergraph.api.routes.occupations import read_likely_next_steps

    with _errors():
        answer = _read_for_role(backend, role, read_likely_next_steps, limit)
    if as_json:
        _print_json(answer.model_dump(mode="json"), None)
        return
    console.print(f"[bold]{answer.occupation.code} {answer.occupation.title}[/]")
    table = _table(title="likely next occupations", title_justify="left")
    for column in ("rank", "occupation", "probability", "observed", "career move"):
        table.add_column(column, justify="left" if column == "occupation" else "right")
    for step in answer.next_steps:
        table.add_row(
            str(step.rank),
            f"{step.code} {step.title}",
            f"{100 * step.probability:.1f} %",
            "-" if step.observed_share is None else f"{100 * step.observed_share:.1f} %",
            "yes" if step.career_move else "no",
        )
    console.print(table)
    console.print(f"[dim]{answer.estimate}[/]")
    console.print(f"[dim]{answer.attribution.text}[/]")


@app.command()
def gap(
    source: Annotated[str, typer.Argument(help="current role: job title or O*NET-SOC code")],
    target: Annotated[str, typer.Argument(help="wanted role: job title or O*NET-SOC code")],
    limit: LimitOption = 10,
    backend: BackendOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON (as GET /v1/gap)")] = False,
) -> None:
    """What the wanted role needs that the current one does not: skills and knowledge to
    level up (O*NET level 0-7, weighted by importance 1-5) and technologies to learn."""
    from careergraph.api.routes.gap import compare_roles

    settings = get_settings()
    with _errors():
        store = _open_loaded_store(settings, backend)
        try:
            answer = compare_roles(store, source, target, limit)
        finally:
            store.close()
    if as_json:
        _print_json(answer.model_dump(mode="json"), None)
        return
    result = answer.gap
    change = f" ({result.job_zone_change:+d})" if result.job_zone_change else ""
    console.print(
        f"[bold]{result.source.code} {result.source.title}[/] -> "
        f"[bold]{result.target.code} {result.target.title}[/]: job zone "
        f"{result.source.job_zone or '-'} -> {result.target.job_zone or '-'}{change}"
    )
    for label, gaps in (("skills", result.skills_to_gain), ("knowledge", result.knowledge_to_gain)):
        if not gaps:
            console.print(f"[dim]no {label} to level up[/]")
            continue
        table = _table(title=f"{label} to gain", title_justify="left")
        for column in (label, "level from -> to", "importance", "gain"):
            table.add_column(column, justify="left" if column == label else "right")
        for g in gaps:
            start = "unrated" if g.from_level is None else f"{g.from_level:.2f}"
            table.add_row(
                g.name, f"{start} -> {g.to_level:.2f}", f"{g.importance:.2f}", f"{g.gain:.2f}"
            )
        console.print(table)
    if result.technologies_to_learn:
        names = [t.name + (" (hot)" if t.hot else "") for t in result.technologies_to_learn]
        console.print(
            f"technologies to learn ({result.technologies_to_learn_count}, "
            f"{result.shared_technology_count} shared): " + ", ".join(names)
        )
    console.print(f"[dim]{answer.attribution.text}[/]")


if __name__ == "__main__":
    app()
