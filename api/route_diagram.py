"""A route as a diagram of steps: what each hop says (reasons, pay change, what to learn),
shared by the web page's drawing (:mod:`api.web`) and ``careergraph path --format mermaid``
(:func:`route_mermaid`), so both show the same diagram."""

from __future__ import annotations

from careergraph.graph.service import PathQueryResult
from careergraph.graph.store import HopExplanation

REASONS_SHOWN = 3
LEARN_SHOWN = 3


def why(hop: HopExplanation, limit: int = REASONS_SHOWN) -> list[str]:
    """A hop's reasons without the wage and job-zone ones (shown apart), strongest first,
    at most ``limit``; O*NET relatedness when the move gives none."""
    reasons = [r for r in hop.reasons if not r.startswith(("median wage", "job zone"))]
    if not reasons and hop.tier:
        reasons = [f"O*NET related occupation ({hop.tier} #{hop.rank})"]
    return reasons[:limit]


def pay_change(hop: HopExplanation) -> str:
    """A hop's median-wage change in words (BLS): "pay +34,660 USD (+26.0 %)"; "same BLS
    group" when both carry one group's figures, "no BLS wage" when either lacks one."""
    if hop.same_bls_group:
        return f"pay: same BLS group ({hop.same_bls_group})"
    if hop.wage_change_usd is None or hop.wage_change_pct is None:
        return "pay: no BLS wage to compare"
    return f"pay {hop.wage_change_usd:+,.0f} USD ({hop.wage_change_pct:+.1f} %)"


def to_learn(hop: HopExplanation, limit: int = LEARN_SHOWN) -> list[str]:
    """What a hop asks to learn: the top skills to gain (LV level up), the top knowledge
    area, and the In Demand technologies to learn."""
    items = [g.name for g in hop.skills_to_gain[:limit]]
    items += [f"{g.name} (knowledge)" for g in hop.knowledge_to_gain[:1]]
    return items + hop.technologies_to_learn[:limit]


def _label(text: str) -> str:
    """Text for a quoted Mermaid label: quotes and pipes as entity codes, no line breaks."""
    return " ".join(text.split()).replace('"', "#quot;").replace("|", "#124;")


def route_mermaid(result: PathQueryResult) -> str:
    """The routes of an answer as a Mermaid flowchart (left to right), one subgraph per
    route: occupations as boxes (title, code, median wage), moves as arrows labelled with the
    kind, cost, reasons, pay change and what to learn, as the web page draws them.

    Returns
    -------
    str
        Mermaid text (``flowchart LR``), for a Markdown ```` ```mermaid ```` block or
        https://mermaid.live; every label quoted and escaped.
    """
    lines = ["flowchart LR"]
    for number, path in enumerate(result.paths, start=1):
        hops = len(path.hops)
        title = f"Route {number}: {hops} move{'s' if hops != 1 else ''}, cost {path.total_cost:.1f}"
        lines.append(f'  subgraph route{number}["{_label(title)}"]')
        lines.append("    direction LR")
        wages = [path.hops[0].from_median_wage_usd] + [h.to_median_wage_usd for h in path.hops]
        for i, (code, name) in enumerate(zip(path.codes, path.titles, strict=True)):
            wage = f"<br/>${wages[i]:,.0f}" if wages[i] is not None else ""
            lines.append(f'    r{number}s{i}["{_label(name)}<br/>{code}{wage}"]')
        for i, hop in enumerate(path.hops):
            parts = [f"{(hop.kind or 'related').replace('_', ' ')}, cost {hop.cost:.1f}"]
            parts += why(hop)
            parts.append(pay_change(hop))
            learn = to_learn(hop)
            if learn:
                parts.append("learn: " + ", ".join(learn))
            text = "<br/>".join(_label(p) for p in parts)
            lines.append(f'    r{number}s{i} -->|"{text}"| r{number}s{i + 1}')
        lines.append("  end")
    return "\n".join(lines)
