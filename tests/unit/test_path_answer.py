"""The path answer beyond routes (graph.service): one occupation for two of its titles, and
the field-specific target offered beside a broad one, on the fixture release."""

from __future__ import annotations

import pytest

from careergraph.graph.backends.networkx_store import NetworkxStore
from careergraph.graph.errors import NoPathError
from careergraph.graph.model import OccupationTitle, OnetRelease, TitleSource
from careergraph.graph.paths import RouteFilters
from careergraph.graph.service import find_career_paths, find_field_alternatives, resolve_title
from careergraph.loaders.pipeline import build_career_data


@pytest.fixture(scope="module")
def store(mini_release: OnetRelease) -> NetworkxStore:
    """The fixture release with derived moves and one more title: "Chief Officer", a broad
    title filed under 47-9908.00 Lighthouse Keepers, while 11-9905.00 Analytics Directors
    carries the reported title "Chief Data Officer"."""
    release = build_career_data(mini_release, bls_dir=None, career_changers_dir=None)
    extra = OccupationTitle(name="Chief Officer", code="47-9908.00", source=TitleSource.ALTERNATE)
    release = release.model_copy(update={"titles": [*release.titles, extra]})
    memory = NetworkxStore()
    memory.load(release)
    return memory


def test_two_titles_of_one_occupation_answer_that_occupation(store: NetworkxStore) -> None:
    result = find_career_paths(store, "Data Preparation Specialist", "Data Janitor")
    assert result.paths == [] and result.alternatives == []
    same = result.same_occupation
    assert same is not None and (same.code, same.title) == ("15-9901.00", "Data Wranglers")
    assert same.message == (
        "'Data Preparation Specialist' and 'Data Janitor' are both titles of 15-9901.00 Data"
        " Wranglers: it is one occupation, so no move is needed"
    )
    by_code = find_career_paths(store, "Data Wranglers", "15-9901.00")
    assert by_code.same_occupation is not None and by_code.paths == []


def test_field_specific_target_is_offered_with_its_route(store: NetworkxStore) -> None:
    result = find_career_paths(store, "Data Wranglers", "Chief Officer", k=1)
    assert result.target.codes == ["47-9908.00"]
    assert result.same_occupation is None
    [alternative] = result.alternatives
    assert (alternative.code, alternative.matched_title, alternative.title_source) == (
        "11-9905.00",
        "Chief Data Officer",
        "reported",
    )
    assert alternative.reason == (
        "'Chief Data Officer' is a job title O*NET reports of 11-9905.00 Analytics Directors:"
        " the 'Chief Officer' of the data field, where Data Wranglers work (you asked for"
        " 'Chief Officer', which O*NET files under 47-9908.00 Lighthouse Keepers)"
    )
    [path] = alternative.paths
    assert path.codes[0] == "15-9901.00" and path.codes[-1] == "11-9905.00"
    assert path.total_cost == sum(h.cost for h in path.hops)


def test_no_alternative_without_a_shared_field_word_or_for_a_code(
    store: NetworkxStore,
) -> None:
    # "Chief Data Officer" adds "data", which is no word of Records Clerks
    assert find_career_paths(store, "Records Clerks", "Chief Officer").alternatives == []
    source = resolve_title(store, "Data Wranglers")
    by_code = resolve_title(store, "47-9908.00")
    assert find_field_alternatives(store, source, by_code, max_hops=4) == []


def test_no_route_and_no_alternative_is_still_an_error(store: NetworkxStore) -> None:
    # the fixture has no BLS projections, so a growth floor leaves no occupation to step to
    no_growth_data = RouteFilters(min_growth_pct=0.0)
    with pytest.raises(NoPathError, match="within 1 hops"):
        find_career_paths(
            store, "Records Clerks", "Analytics Architects", max_hops=1, filters=no_growth_data
        )
