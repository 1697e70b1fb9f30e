"""Observed occupation moves (CPS ASEC) and the O*NET-SOC 2010 -> 2019 crosswalk.

Sources (a folder laid out like ``shared/data/transitions``, setting
``CAREERGRAPH_TRANSITIONS_DIR``):

* ``2010_to_2019_Crosswalk.csv``: O*NET Resource Center, "O*NET-SOC 2010 to O*NET-SOC
  2019 Crosswalk" (CC BY 4.0); the official comma form (``O*NET-SOC 2010 Code`` ...) and
  the re-saved ``;`` form (``soc2010_code`` ...) are both read.
* ``cps_asec/asec_to_bls_mobility_edgelist.csv``: year-to-year occupation moves in the
  U.S. Current Population Survey, Annual Social and Economic Supplement, on BLS OES codes
  (SOC 2010), from del Rio-Chanona, Mealy, Beguerisse-Diaz, Lafond & Farmer (2021),
  "Occupational mobility and automation: a data-driven network model", J. R. Soc.
  Interface 18: 20200898 (CC BY 4.0). Columns used: ``OCC_source``, ``OCC_target``,
  ``transition_prob_BLS_ASECnorm_corr`` (share of the source's workers found in the target
  a year later; a source's row sums to 1 with staying on the diagonal) and
  ``TOT_EMP_OCCLY`` (OES employment of the source).

The mapping to O*NET-SOC 2019 (:func:`read_observed_moves`; ``docs/data-sources.md``):

1. **Shared Census codes.** The CPS codes occupations with Census codes; where one Census
   code covers several OES codes, the published flows out of them are one Census row split
   by employment, so those OES codes have *identical* rows (17 groups in the file, e.g.
   15-1132/15-1133, 11-1010/11-1030). Flows between codes of one such group are the split,
   not mobility: they are dropped like staying.
2. **Movers.** Staying (the diagonal) and those flows are removed and each row is
   renormalised: shares among the people who left.
3. **Codes.** A detailed OES code ``XX-XXXX`` stands for its O*NET-SOC 2010 codes
   (``XX-XXXX.YY``); a group code ending in zeros (broad ``XX-XXX0``, minor ``XX-X000``)
   for every detailed code it contains that no more specific code of the file covers. The
   crosswalk turns these into O*NET-SOC 2019 codes of the loaded release.
4. **Splits.** Shares are kept per SOC 2018 code (the first 7 characters of an O*NET-SOC
   code). A flow *into* an OES code whose successors fall in several SOC codes is split
   over them in proportion to their BLS 2024 employment (the part of it attributed to this
   OES code: its OES employment ``TOT_EMP_OCCLY`` over that of every OES code the SOC code
   descends from); evenly when a SOC code has no BLS figures. Every O*NET occupation of the
   SOC code that the OES code reaches carries the SOC code's share (29-1141.00 Registered
   Nurses and its specialties .01-.04 alike), marked with the group's title.
5. The row *out of* an O*NET occupation is the employment-weighted mix of the rows of the
   OES codes it descends from. A move into the occupation's own SOC code is not a move
   between O*NET occupations the CPS can see; the shares of each source are renormalised
   once more, so they sum to 1 over distinct destination SOC codes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from careergraph.graph.errors import DataFormatError
from careergraph.graph.model import CPS_ASEC_SOURCE, LaborMarketFigures, ObservedMove, Occupation
from careergraph.loaders.tables import TableRow, read_delimited_file

CROSSWALK_FILE = "2010_to_2019_Crosswalk.csv"
CPS_EDGELIST_FILE = Path("cps_asec") / "asec_to_bls_mobility_edgelist.csv"

CROSSWALK_COLUMNS = {
    "resaved": ("soc2010_code", "soc2019_code"),
    "official": ("O*NET-SOC 2010 Code", "O*NET-SOC 2019 Code"),
}
"""Code columns of the two forms of the crosswalk (2010 code, 2019 code)."""

CPS_COLUMNS = (
    "OCC_source",
    "OCC_target",
    "transition_prob_BLS_ASECnorm_corr",
    "TOT_EMP_OCCLY",
)
ROW_SUM_TOLERANCE = 0.01
"""A source's shares (staying included) must sum to 1 within this tolerance."""
SAME_ROW_DIGITS = 10
"""Significant digits compared when finding OES codes with identical rows."""

_OES_CODE = re.compile(r"\d{2}-\d{4}")
_ONET_CODE = re.compile(r"\d{2}-\d{4}\.\d{2}")


@dataclass(frozen=True)
class SocCrosswalk:
    """The O*NET-SOC 2010 -> 2019 crosswalk.

    ``successors`` maps an O*NET-SOC 2010 code (``15-1132.00``) to its 2019 codes in file
    order (``15-1252.00``, ``15-1253.00``).
    """

    successors: dict[str, tuple[str, ...]]
    by_soc: dict[str, list[str]] = field(init=False, repr=False)
    """SOC 2010 code (``15-1132``) -> its O*NET-SOC 2010 codes (built from ``successors``)."""

    def __post_init__(self) -> None:
        index: dict[str, list[str]] = defaultdict(list)
        for code in self.successors:
            index[code[:7]].append(code)
        object.__setattr__(self, "by_soc", dict(index))

    def successors_of_soc(self, soc_codes: Iterable[str]) -> list[str]:
        """O*NET-SOC 2019 codes of the O*NET-SOC 2010 codes under SOC 2010 codes
        (``15-1132`` -> 15-1252.00, 15-1253.00), without repeats, in file order."""
        found: dict[str, None] = {}
        for soc in sorted(set(soc_codes)):
            for code in self.by_soc.get(soc, ()):
                found.update(dict.fromkeys(self.successors[code]))
        return list(found)

    def predecessors(self) -> dict[str, list[str]]:
        """O*NET-SOC 2019 code -> its O*NET-SOC 2010 codes, in file order."""
        out: dict[str, list[str]] = defaultdict(list)
        for code, nexts in self.successors.items():
            for nxt in nexts:
                out[nxt].append(code)
        return dict(out)

    @property
    def soc2010_codes(self) -> set[str]:
        """The SOC 2010 detailed codes (first 7 characters) the crosswalk covers."""
        return set(self.by_soc)


def _code_cell(row: TableRow, column: str, pattern: re.Pattern[str], what: str) -> str:
    raw = row.text(column)
    if not pattern.fullmatch(raw):
        raise row.error(column, f"{raw!r} is not {what}")
    return raw


def read_crosswalk(path: Path) -> SocCrosswalk:
    """Read the O*NET-SOC 2010 -> 2019 crosswalk (official ``,`` form or re-saved ``;``).

    Raises
    ------
    DataFormatError
        Missing file, neither header form, or a cell that is not an O*NET-SOC code.
    """
    try:
        first_line = path.read_bytes().decode("utf-8-sig", errors="replace").split("\n", 1)[0]
    except OSError as exc:
        raise DataFormatError(str(path), f"cannot read the file: {exc}") from None
    form = "resaved" if "soc2010_code" in first_line else "official"
    old_column, new_column = CROSSWALK_COLUMNS[form]
    successors: dict[str, list[str]] = defaultdict(list)
    for row in read_delimited_file(path, CROSSWALK_COLUMNS[form]):
        old = _code_cell(row, old_column, _ONET_CODE, "an O*NET-SOC 2010 code (NN-NNNN.NN)")
        new = _code_cell(row, new_column, _ONET_CODE, "an O*NET-SOC 2019 code (NN-NNNN.NN)")
        if new not in successors[old]:
            successors[old].append(new)
    if not successors:
        raise DataFormatError(str(path), "the crosswalk has no rows")
    return SocCrosswalk({code: tuple(nexts) for code, nexts in successors.items()})


@dataclass
class OesFlows:
    """The CPS ASEC edge list on BLS OES codes.

    ``shares[a][b]``: share (0-1) of OES occupation ``a``'s workers found in ``b`` a year
    later (``a`` -> ``a`` = staying); ``employment[a]``: OES employment of ``a`` (jobs).
    """

    shares: dict[str, dict[str, float]] = field(default_factory=dict)
    employment: dict[str, float] = field(default_factory=dict)

    @property
    def codes(self) -> set[str]:
        """Every OES code of the file, as source or target."""
        return set(self.shares) | {b for row in self.shares.values() for b in row}


def read_cps_flows(path: Path) -> OesFlows:
    """Read the CPS ASEC edge list (``asec_to_bls_mobility_edgelist.csv``).

    Raises
    ------
    DataFormatError
        Missing file or column, a code that is not ``NN-NNNN``, a share outside 0..1, a
        repeated pair, or a source whose shares do not sum to 1 (within
        :data:`ROW_SUM_TOLERANCE`), naming file, line and column.
    """
    flows = OesFlows()
    first_line: dict[str, int] = {}
    for row in read_delimited_file(path, CPS_COLUMNS, delimiter=","):
        a = _code_cell(row, "OCC_source", _OES_CODE, "a BLS OES code (NN-NNNN)")
        b = _code_cell(row, "OCC_target", _OES_CODE, "a BLS OES code (NN-NNNN)")
        share = row.number("transition_prob_BLS_ASECnorm_corr", low=0.0, high=1.0)
        row_shares = flows.shares.setdefault(a, {})
        if b in row_shares:
            raise row.error("OCC_target", f"repeated pair {a} -> {b}")
        row_shares[b] = share
        flows.employment[a] = row.number("TOT_EMP_OCCLY", low=0.0)
        first_line.setdefault(a, row.line)
    for a, row_shares in flows.shares.items():
        total = sum(row_shares.values())
        if abs(total - 1.0) > ROW_SUM_TOLERANCE:
            raise DataFormatError(
                str(path),
                f"the shares of source {a} sum to {total:.4f}, not 1",
                line=first_line[a],
                column="transition_prob_BLS_ASECnorm_corr",
            )
    if not flows.shares:
        raise DataFormatError(str(path), "the edge list has no rows")
    return flows


def find_shared_census_groups(flows: OesFlows) -> list[tuple[str, ...]]:
    """OES codes that share one Census code: their rows are identical (every target,
    staying included, to :data:`SAME_ROW_DIGITS` significant digits), because the CPS
    observes the Census code and the edge list splits it by employment.

    Returns
    -------
    list[tuple[str, ...]]
        Groups of two or more codes, each sorted, sorted by first code.
    """
    by_row: dict[tuple[tuple[str, str], ...], list[str]] = defaultdict(list)
    for a, row_shares in flows.shares.items():
        key = tuple(sorted((b, f"{v:.{SAME_ROW_DIGITS}g}") for b, v in row_shares.items() if v))
        by_row[key].append(a)
    groups = [
        tuple(sorted(codes))
        for key, codes in by_row.items()
        if len(codes) > 1 and set(codes) <= {b for b, _ in key}
    ]
    return sorted(groups)


def movers_shares(
    flows: OesFlows, groups: Iterable[tuple[str, ...]]
) -> dict[str, dict[str, float]]:
    """Shares among movers per OES source: staying and flows inside a shared-Census group
    removed, the rest renormalised to sum to 1; sources without movers are left out."""
    group_of = {code: group for group in groups for code in group}
    out: dict[str, dict[str, float]] = {}
    for a, row_shares in flows.shares.items():
        same = set(group_of.get(a, (a,)))
        moved = {b: v for b, v in row_shares.items() if b not in same and v > 0}
        total = sum(moved.values())
        if total > 0:
            out[a] = {b: v / total for b, v in moved.items()}
    return out


def map_oes_codes(
    oes_codes: Iterable[str], crosswalk: SocCrosswalk, known_codes: Iterable[str]
) -> dict[str, list[str]]:
    """OES code -> the O*NET-SOC 2019 codes of the loaded release it stands for.

    A detailed code stands for itself; a code ending in zeros (``15-1130`` broad,
    ``25-1000`` minor) for the detailed SOC 2010 codes of the crosswalk that start with its
    non-zero prefix and that no more specific code in ``oes_codes`` covers. Codes that
    reach no known occupation map to an empty list.
    """
    codes = sorted(set(oes_codes))
    known = set(known_codes)
    detailed = crosswalk.soc2010_codes
    explicit = {c for c in codes if not c.endswith("0")}

    group_prefixes = [c.rstrip("0") for c in codes if c not in explicit]

    def covered_by_finer(soc: str, prefix: str) -> bool:
        return soc in explicit or any(
            len(other) > len(prefix) and soc.startswith(other) for other in group_prefixes
        )

    out: dict[str, list[str]] = {}
    for code in codes:
        if code in explicit:
            members = [code]
        else:
            prefix = code.rstrip("0")
            members = sorted(
                s for s in detailed if s.startswith(prefix) and not covered_by_finer(s, prefix)
            )
        out[code] = [c for c in crosswalk.successors_of_soc(members) if c in known]
    return out


def soc_employment(labor_market: Iterable[LaborMarketFigures]) -> dict[str, float]:
    """SOC 2018 code -> BLS 2024 employment in thousands (``employment_2024_thousands``);
    the figures of a BLS aggregate (13-1020) are shared evenly by its SOC codes."""
    by_soc: dict[str, LaborMarketFigures] = {}
    for figures in labor_market:
        if figures.employment_2024_thousands:
            by_soc.setdefault(figures.code[:7], figures)
    sharing: dict[str, int] = defaultdict(int)
    for figures in by_soc.values():
        sharing[figures.bls_soc_code] += 1
    return {
        soc: (f.employment_2024_thousands or 0.0) / sharing[f.bls_soc_code]
        for soc, f in by_soc.items()
    }


def split_weights(
    successors: Mapping[str, list[str]],
    oes_employment: Mapping[str, float],
    employment: Mapping[str, float],
) -> dict[str, dict[str, float]]:
    """OES code -> {SOC 2018 code: weight}: how a flow into the OES code is shared by the
    SOC codes of its O*NET successors; the weights of one OES code sum to 1.

    A SOC code's weight is its BLS 2024 employment (``employment``, SOC code -> thousands)
    times the part of it attributed to this OES code: this code's OES employment over that
    of every OES code the SOC code descends from. When a SOC code has no employment, the
    OES code's SOC codes are weighted evenly.
    """
    socs = {oes: list(dict.fromkeys(c[:7] for c in codes)) for oes, codes in successors.items()}
    parents: dict[str, list[str]] = defaultdict(list)
    for oes, soc_codes in socs.items():
        for soc in soc_codes:
            parents[soc].append(oes)
    weights: dict[str, dict[str, float]] = {}
    for oes, soc_codes in socs.items():
        if not soc_codes:
            continue
        raw: dict[str, float] = {}
        if all(employment.get(soc) for soc in soc_codes):
            for soc in soc_codes:
                total_parents = sum(oes_employment.get(p, 0.0) for p in parents[soc])
                part = oes_employment.get(oes, 0.0) / total_parents if total_parents else 1.0
                raw[soc] = employment[soc] * part
        total = sum(raw.values())
        if total > 0:
            weights[oes] = {soc: w / total for soc, w in raw.items()}
        else:
            weights[oes] = {soc: 1.0 / len(soc_codes) for soc in soc_codes}
    return weights


def group_titles(occupations: Iterable[Occupation]) -> dict[str, str]:
    """SOC 2018 code -> title, for SOC codes with several O*NET occupations: the title of
    its ``.00`` occupation, else the titles of its occupations joined by ``/``."""
    by_soc: dict[str, list[Occupation]] = defaultdict(list)
    for occupation in occupations:
        by_soc[occupation.code[:7]].append(occupation)
    titles: dict[str, str] = {}
    for soc, members in by_soc.items():
        if len(members) < 2:
            continue
        main = [o.title for o in members if o.code.endswith(".00")]
        titles[soc] = main[0] if main else "/".join(sorted(o.title for o in members))
    return titles


def read_observed_moves(
    transitions_dir: Path,
    occupations: Iterable[Occupation],
    labor_market: Iterable[LaborMarketFigures] = (),
) -> list[ObservedMove]:
    """Observed year-to-year moves between O*NET occupations (``MOVED_TO``).

    Parameters
    ----------
    transitions_dir
        Folder with ``2010_to_2019_Crosswalk.csv`` and
        ``cps_asec/asec_to_bls_mobility_edgelist.csv``.
    occupations
        Occupations of the loaded O*NET release; moves name only these.
    labor_market
        BLS figures (for the employment split); empty = split evenly.

    Returns
    -------
    list[ObservedMove]
        Sorted by code, then rank. A share belongs to the destination's SOC 2018 code
        (every O*NET occupation of that code the flow reaches carries it), so for every
        source the shares over distinct destination SOC codes sum to 1.

    Raises
    ------
    DataFormatError
        A missing or malformed file (file, line, column).
    """
    occupation_list = list(occupations)
    crosswalk = read_crosswalk(transitions_dir / CROSSWALK_FILE)
    flows = read_cps_flows(transitions_dir / CPS_EDGELIST_FILE)
    movers = movers_shares(flows, find_shared_census_groups(flows))
    successors = map_oes_codes(flows.codes, crosswalk, (o.code for o in occupation_list))
    weights = split_weights(successors, flows.employment, soc_employment(labor_market))
    targets: dict[tuple[str, str], list[str]] = {
        (oes, soc): [c for c in codes if c[:7] == soc]
        for oes, codes in successors.items()
        for soc in weights.get(oes, {})
    }
    # per OES source a: share of its movers reaching each SOC code, and through which OES b
    into_soc: dict[str, dict[str, float]] = {}
    via: dict[str, dict[str, list[str]]] = {}
    for a, row_shares in movers.items():
        shares: dict[str, float] = defaultdict(float)
        through: dict[str, list[str]] = defaultdict(list)
        for b, share in row_shares.items():
            for soc, wt in weights.get(b, {}).items():
                shares[soc] += share * wt
                through[soc].append(b)
        into_soc[a], via[a] = shares, through
    # people[s][soc]: movers out of O*NET occupation s into SOC code soc
    people: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    from_oes: dict[tuple[str, str], set[str]] = defaultdict(set)
    to_oes: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a in movers:
        for s in successors.get(a, ()):
            leavers = flows.employment.get(a, 0.0) * weights[a][s[:7]]
            for soc, share in into_soc[a].items():
                if soc == s[:7]:
                    continue  # within one SOC code: not a move between O*NET codes
                people[s][soc] += leavers * share
                from_oes[(s, soc)].add(a)
                to_oes[(s, soc)].update(via[a][soc])
    groups = group_titles(occupation_list)
    split = {oes for oes, w in weights.items() if len(w) > 1}
    moves: list[ObservedMove] = []
    for s in sorted(people):
        total = sum(people[s].values())
        if total <= 0:
            continue
        ranked: list[tuple[float, str, str]] = []
        for soc, n in people[s].items():
            if n <= 0:
                continue
            reached = {t for b in to_oes[(s, soc)] for t in targets[(b, soc)]}
            ranked.extend((n / total, t, soc) for t in reached)
        ranked.sort(key=lambda item: (-item[0], item[1]))
        evidence = {
            soc: (
                sorted(from_oes[(s, soc)]),
                sorted(to_oes[(s, soc)]),
                not split.isdisjoint(from_oes[(s, soc)] | to_oes[(s, soc)]),
            )
            for soc in people[s]
        }
        for rank, (share, t, soc) in enumerate(ranked, start=1):
            olds, news, estimated = evidence[soc]
            moves.append(
                ObservedMove(
                    code=s,
                    next_code=t,
                    share_of_movers=min(1.0, share),
                    rank=rank,
                    source=CPS_ASEC_SOURCE,
                    from_oes_codes=olds,
                    to_oes_codes=news,
                    estimated=estimated,
                    from_group_title=groups.get(s[:7]),
                    to_group_title=groups.get(soc),
                )
            )
    return moves
