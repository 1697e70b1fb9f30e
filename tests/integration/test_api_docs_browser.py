"""The API's interactive docs render in a real browser with no network.

``careergraph serve`` is stood in for by uvicorn in a thread (fixture release, memory store);
headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright) opens ``/docs``
(Swagger UI) and ``/redoc`` while every request to any other host than the server is
blocked and recorded. The pages must draw every operation from the app's own assets.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, sync_playwright

from careergraph.api.app import create_app
from careergraph.api.settings import Settings
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.loaders.onet import read_onet_release
from tests.api.support import ENDPOINTS, FIXTURE_DIR, serve_in_thread

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
CHROMIUM_ARGS += ["--disable-background-networking", "--disable-component-update"]
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def api_url() -> Iterator[str]:
    """The API on 127.0.0.1 (fixture release), served by uvicorn in a background thread."""
    store = NetworkxStore()
    store.load(read_onet_release(FIXTURE_DIR))
    app = create_app(Settings().model_copy(update={"onet_dir": FIXTURE_DIR}), store=store)
    with serve_in_thread(app) as url:
        yield url


def _open_offline(page: Page, base_url: str, blocked: list[str]) -> None:
    """Let the page reach only the API server; record and abort everything else."""
    own = urlsplit(base_url).netloc

    def only_local(route: Route) -> None:
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)


def test_docs_and_redoc_render_without_network(api_url: str, tmp_path: Path) -> None:
    blocked: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=TIMEOUT_MS
        )
        try:
            page = chromium.new_page(viewport={"width": 1300, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            _open_offline(page, api_url, blocked)

            page.goto(f"{api_url}/docs")
            page.locator(".opblock-summary").first.wait_for()
            summaries = page.locator(".opblock-summary-path").all_inner_texts()
            operation_ids = page.locator(".opblock-summary-operation-id").all_inner_texts()
            title = page.locator(".info .title").first.inner_text()
            page.screenshot(path=str(tmp_path / "docs.png"), full_page=False)

            page.goto(f"{api_url}/redoc")
            page.get_by_role("heading", name="careergraph").first.wait_for()
            redoc_operations = page.locator("[data-section-id^='tag/'], [id^='operation/']")
            redoc_count = redoc_operations.count()
            page.screenshot(path=str(tmp_path / "redoc.png"), full_page=False)
        finally:
            chromium.close()

    assert blocked == []  # nothing was fetched from anywhere but the API itself
    assert not errors
    assert title.startswith("careergraph")
    assert sorted(s.replace("\u200b", "") for s in summaries) == sorted(ENDPOINTS)
    assert "get_paths" in operation_ids and "get_occupation" in operation_ids
    assert redoc_count >= len(ENDPOINTS)
    assert (tmp_path / "docs.png").stat().st_size > 10_000
