"""The web page at ``/`` in headless Chromium (Debian's ``/usr/bin/chromium`` driven by
Playwright), as a person uses it: search "Software Systems Engineer", open the role page,
check its sections and figures, ask for the route to "Engineering Director" and check the
drawn steps. The page may reach nothing but the app (every other request is blocked and
recorded), runs no script, and must not break its Content-Security-Policy.

``careergraph serve`` is stood in for by uvicorn in a thread, serving the session's memory
store (real O*NET 29.3, BLS, O*NET 30.1 tasks). The expected figures come from
:func:`graph.role_profile.build_role_profile` and :func:`graph.service.find_career_paths` on
the same store (``tests/integration/test_role_show.py`` checks those against the source
files). Screenshots go to ``$CAREERGRAPH_SCREENSHOT_DIR`` when set (``docs/`` to refresh the
README's pictures), else to pytest's tmp folder.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import ConsoleMessage, Page, Route, sync_playwright

from careergraph.api.app import create_app
from careergraph.api.settings import Settings
from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.role_profile import build_role_profile
from careergraph.graph.service import find_career_paths
from tests.api.support import serve_in_thread

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
CHROMIUM_ARGS += ["--disable-background-networking", "--disable-component-update"]
TIMEOUT_MS = 60_000
SEED, TARGET = "Software Systems Engineer", "Engineering Director"
ROLE_SECTIONS = [
    "summary",
    "title-span",
    "tasks",
    "who-thrives",
    "skills",
    "education",
    "pay",
    "outlook",
    "related",
    "leads-to",
    "comes-from",
]


@pytest.fixture(scope="module")
def web_url(memory_store: NetworkxStore) -> Iterator[str]:
    """The app on 127.0.0.1 serving the real memory store, uvicorn in a background thread."""
    app = create_app(Settings(), store=memory_store)
    with serve_in_thread(app) as url:
        yield url


def _screenshot_dir(tmp_path: Path) -> Path:
    chosen = os.environ.get("CAREERGRAPH_SCREENSHOT_DIR")
    return Path(chosen) if chosen else tmp_path


def _text(page: Page, selector: str) -> str:
    return " ".join(page.locator(selector).first.inner_text().split())


def test_search_role_page_and_route_in_chromium(
    web_url: str, memory_store: NetworkxStore, tmp_path: Path
) -> None:
    profile = build_role_profile(memory_store, SEED)
    routes = find_career_paths(memory_store, SEED, TARGET, k=3, max_hops=4)
    assert profile.pay is not None and profile.title_span is not None
    shots = _screenshot_dir(tmp_path)
    blocked: list[str] = []
    problems: list[str] = []
    own = urlsplit(web_url).netloc

    def only_local(route: Route) -> None:
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=TIMEOUT_MS
        )
        try:
            page = chromium.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(TIMEOUT_MS)
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.on("console", on_console)
            page.route("**/*", only_local)

            # 1. search
            page.goto(f"{web_url}/")
            page.get_by_role("searchbox").fill(SEED)
            page.get_by_role("button", name="Search").click()
            page.locator("#results").wait_for()
            results = _text(page, "#results")
            assert f"mean {profile.title}" in results
            for occupation in profile.title_span.occupations:
                assert occupation.title in results

            # 2. the role page
            page.locator("#results p a").first.click()
            page.locator("#role").wait_for()
            assert _text(page, "h1") == profile.title
            missing = [s for s in ROLE_SECTIONS if page.locator(f"#{s}").count() != 1]
            assert not missing, missing
            order = page.locator("#role > section").evaluate_all("els => els.map(e => e.id)")
            assert [s for s in order if s in ROLE_SECTIONS] == ROLE_SECTIONS  # reading order
            assert _text(page, "#fact-pay") == f"${profile.pay.median_wage_usd:,.0f}"
            assert profile.outlook is not None and profile.outlook.growth_pct is not None
            assert _text(page, "#fact-growth") == f"{profile.outlook.growth_pct:+.1f} %"
            span_text = _text(page, "#title-span")
            for occupation in profile.title_span.occupations:
                assert occupation.code in span_text and occupation.title in span_text
            wages = profile.title_span.median_wage_usd
            assert wages is not None
            assert f"plain mean ${wages.plain_mean:,.0f}" in _text(page, "#span-pay")
            assert f"weighted ${wages.weighted:,.0f}" in _text(page, "#span-pay")
            pay = _text(page, "#pay")
            for wage in (profile.pay.wage_p10_usd, profile.pay.wage_p90_usd):
                assert wage is not None and f"${wage:,.0f}" in pay
            assert profile.tasks[0].statement in _text(page, "#tasks")
            thrives = _text(page, "#who-thrives")
            assert profile.who_thrives.summary in thrives
            for style in profile.who_thrives.work_styles:
                assert style.name in thrives
            assert page.locator("#who-thrives sup.est").count() >= len(
                profile.who_thrives.work_styles
            )  # estimated values are marked
            assert profile.estimates and profile.estimates[0] in _text(page, "#estimates")
            for link in profile.related:
                assert link.title in _text(page, "#related")
            page.screenshot(path=str(shots / "web-role-page.png"), full_page=True)

            # 3. ask the route from this role
            form = page.locator("#ask-route form")
            assert form.locator("input[name=from]").input_value() == SEED
            form.locator("input[name=to]").fill(TARGET)
            form.get_by_role("button", name="Find a route").click()
            page.locator("#route-1").wait_for()
            for rank, path in enumerate(routes.paths, start=1):
                drawn = page.locator(f"#route-{rank} .diagram")
                steps = [" ".join(t.split()) for t in drawn.locator(".step a").all_inner_texts()]
                assert steps == path.titles, rank
                hops = drawn.locator(".hop")
                assert hops.count() == len(path.hops)
                for i, hop in enumerate(path.hops):
                    hop_text = " ".join(hops.nth(i).inner_text().split())
                    assert f"cost {hop.cost:.1f}" in hop_text
                    if hop.wage_change_usd is not None:
                        assert f"pay {hop.wage_change_usd:+,.0f} USD" in hop_text
                    if hop.skills_to_gain:
                        assert f"To learn: {hop.skills_to_gain[0].name}" in hop_text
                    reasons = [r for r in hop.reasons if not r.startswith(("median", "job zone"))]
                    if reasons:
                        assert reasons[0] in hop_text
            best = routes.paths[0]
            heading = _text(page, "#route-1 h2")
            assert re.fullmatch(
                rf"Route 1: {len(best.hops)} moves?, cost {best.total_cost:.1f}", heading
            )
            assert page.locator("a.browser").count() == 0  # memory backend: no Browser link
            page.screenshot(path=str(shots / "web-route.png"), full_page=True)

            seen = list(problems)

            # 4. an unknown role is a page with suggestions, not a traceback
            answer = page.goto(f"{web_url}/role?title=Sofware%20Systms%20Enginer%20Zzz")
            assert answer is not None and answer.status == 404
            assert "No occupation matches" in _text(page, "h1")
        finally:
            chromium.close()
    assert not blocked, blocked
    assert not seen, seen  # no script errors, no CSP violations, nothing missing


def test_pages_are_escaped_and_locked_down(web_url: str) -> None:
    attack = "<script>alert(1)</script>"
    with httpx.Client(base_url=web_url, timeout=60) as client:
        for url, params in (
            ("/", {"q": attack}),
            ("/role", {"title": attack}),
            ("/route", {"from": attack, "to": TARGET}),
        ):
            response = client.get(url, params=params)
            assert response.status_code in (200, 404), url
            assert attack not in response.text and "&lt;script&gt;" in response.text
            policy = response.headers["content-security-policy"]
            assert "default-src 'none'" in policy and "script-src" not in policy
            assert "frame-ancestors 'none'" in policy and "form-action 'self'" in policy
            assert response.headers["x-content-type-options"] == "nosniff"
            assert "access-control-allow-origin" not in response.headers
        too_long = client.get("/role", params={"title": "x" * 201})
        assert too_long.status_code == 422 and "longer than 200" in too_long.text
        css = client.get("/static/careergraph.css")
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
