// Question: which loop-free career-move routes (LEADS_TO) of 1 to 4 hops lead from one set of
// occupations to another, with the user's filters, cheapest first?
// Parameters: $sources (list<string>, O*NET-SOC codes), $targets (list<string>, codes),
//   $max_hops (int, 1-4), $k (int, distinct routes wanted), $candidates (int, rows wanted: the
//   backend asks for 6 x k + 6), $only_advancement (bool), $max_wage_drop_pct (float|null,
//   percent), $min_growth_pct (float|null, percent 2024-34), $via (string|null, code),
//   $exclude (list<string>, codes).
// Returns: codes (list<string>, route from source to target), costs (list<float>, cost points
//   of each LEADS_TO hop, see docs/pathfinding.md), cost (float, their sum), at most
//   $candidates rows ordered by (cost rounded to 6 decimals, hops, codes). The same
//   occupations in another order (at most 3! = 6 orders for 4 hops) are one route: the
//   backend keeps the first row of each, so 6 x k rows always hold the k best routes. Rows
//   that cannot be among the k best routes may be left out.
// Method: meet in the middle, hop by hop (no path objects), pruned by a cost bound.
//   1. Last hops m1 -> target, grouped by m1 (apoc.map.groupByMulti).
//   2. Prefixes of 1-2 hops out of a source: those that end at a target, and those whose end
//      m has a last hop, are the routes of 1-3 hops; every 2-hop prefix ending elsewhere is
//      kept as a head of a possible 4-hop route.
//   3. bound = the cost of the k-th distinct route of 1-3 hops (+ 1e-6, the sort key's
//      rounding), or none when there are fewer: no route above it can be among the k best.
//   4. 4-hop routes head -> m2 -> m1 -> target: a last hop m1 -> target is expanded backwards
//      only if its cost + the cheapest hop into m1 (Occupation.leads_to_min_in_cost, stored
//      by load/route_bounds.cypher) + the cheapest head is within the bound, and a head is
//      kept only if its cost + the cheapest hop out of its end (leads_to_min_out_cost) + the
//      cheapest last hop is; these are lower bounds (filters only remove hops), so the
//      answer is exact. The expansion into hub targets, the slowest part before, shrinks most.
// Filters are applied as each hop is expanded.
// A route never passes through a target and never repeats an occupation.
MATCH (a:Occupation) WHERE a.code IN $sources
WITH collect(DISTINCT a) AS starts
MATCH (b:Occupation) WHERE b.code IN $targets
WITH starts, collect(DISTINCT b) AS ends
OPTIONAL MATCH (v:Occupation {code: $via})
WITH starts, ends, v
CALL (ends) {
  UNWIND ends AS b
  MATCH (m1:Occupation)-[r:LEADS_TO]->(b)
  WHERE $max_hops >= 3 AND NOT m1 IN ends
    AND (NOT $only_advancement OR r.kind = 'advancement')
    AND ($max_wage_drop_pct IS NULL OR r.wage_delta_pct IS NULL
         OR r.wage_delta_pct >= -$max_wage_drop_pct)
    AND (size($exclude) = 0 OR NOT b.code IN $exclude)
    AND ($min_growth_pct IS NULL OR coalesce(b.growth_pct >= $min_growth_pct, false))
  RETURN collect({key: elementId(m1), m1: m1, b: b, c: r.cost}) AS last_hops,
         min(r.cost) AS last_min
}
WITH starts, ends, v, last_hops, last_min, apoc.map.groupByMulti(last_hops, 'key') AS lasts
CALL (starts, ends, lasts) {
  UNWIND starts AS a
  MATCH (a)-[r1:LEADS_TO]->(x:Occupation)
  WHERE x <> a
    AND (NOT $only_advancement OR r1.kind = 'advancement')
    AND ($max_wage_drop_pct IS NULL OR r1.wage_delta_pct IS NULL
         OR r1.wage_delta_pct >= -$max_wage_drop_pct)
    AND (size($exclude) = 0 OR NOT x.code IN $exclude)
    AND ($min_growth_pct IS NULL OR coalesce(x.growth_pct >= $min_growth_pct, false))
  WITH a, x, r1.cost AS c1, ends, lasts
  CALL (a, x, ends) {
    WITH * WHERE x IN ends
    RETURN null AS m, null AS c2
    UNION ALL
    MATCH (x)-[r2:LEADS_TO]->(m:Occupation)
    WHERE $max_hops >= 2 AND NOT x IN ends AND m <> a AND m <> x
      AND (NOT $only_advancement OR r2.kind = 'advancement')
      AND ($max_wage_drop_pct IS NULL OR r2.wage_delta_pct IS NULL
           OR r2.wage_delta_pct >= -$max_wage_drop_pct)
      AND (size($exclude) = 0 OR NOT m.code IN $exclude)
      AND ($min_growth_pct IS NULL OR coalesce(m.growth_pct >= $min_growth_pct, false))
    RETURN m, r2.cost AS c2
  }
  WITH a, x, c1, m, c2, m IS NOT NULL AND $max_hops >= 4 AND NOT m IN ends AS extendable,
       CASE WHEN m IS NULL THEN [{ns: [a, x], costs: [c1]}]
            WHEN m IN ends THEN [{ns: [a, x, m], costs: [c1, c2]}]
            ELSE [l IN coalesce(lasts[elementId(m)], []) WHERE l.b <> a
                  | {ns: [a, x, m, l.b], costs: [c1, c2, l.c]}] END AS found
  RETURN collect(found) AS found_lists,
         collect(CASE WHEN extendable THEN {key: elementId(m), m: m, a: a, x: x, c1: c1, c2: c2}
                 END) AS head_list,
         min(CASE WHEN extendable THEN c1 + c2 END) AS p2min
}
CALL (found_lists, v) {
  UNWIND found_lists AS fl
  UNWIND fl AS r
  WITH r WHERE $via IS NULL OR v IN r.ns
  WITH r.ns AS ns, reduce(total = 0.0, c IN r.costs | total + c) AS cost
  WITH CASE WHEN size(ns) = 4 AND elementId(ns[2]) < elementId(ns[1])
            THEN [ns[0], ns[3], ns[2], ns[1]] ELSE [ns[0], last(ns)] + ns[1..-1] END AS key,
       min(cost) AS cost
  ORDER BY cost
  RETURN collect(cost) AS short_costs
}
WITH ends, v, last_hops, last_min, found_lists, head_list, p2min,
     CASE WHEN size(short_costs) >= $k THEN short_costs[$k - 1] + 1e-6 END AS bound
CALL (ends, v, last_hops, last_min, head_list, p2min, bound) {
  WITH * WHERE $max_hops >= 4 AND p2min IS NOT NULL
  WITH ends, v, last_hops, p2min, bound,
       apoc.map.groupByMulti(
         [h IN head_list WHERE bound IS NULL
            OR h.c1 + h.c2 + coalesce(h.m.leads_to_min_out_cost, 0.0) + last_min <= bound],
         'key') AS heads
  UNWIND last_hops AS l
  WITH ends, v, bound, heads, l, l.m1 AS m1
  WHERE bound IS NULL OR l.c + coalesce(m1.leads_to_min_in_cost, 0.0) + p2min <= bound
  MATCH (m2:Occupation)-[r:LEADS_TO]->(m1)
  WHERE NOT m2 IN ends AND m2 <> m1
    AND (NOT $only_advancement OR r.kind = 'advancement')
    AND ($max_wage_drop_pct IS NULL OR r.wage_delta_pct IS NULL
         OR r.wage_delta_pct >= -$max_wage_drop_pct)
    AND (size($exclude) = 0 OR NOT m1.code IN $exclude)
    AND ($min_growth_pct IS NULL OR coalesce(m1.growth_pct >= $min_growth_pct, false))
  WITH v, bound, l, m1, m2, r.cost AS c3, heads[elementId(m2)] AS hs
  WHERE hs IS NOT NULL
  UNWIND hs AS h
  WITH v, bound, [h.a, h.x, m2, m1, l.b] AS ns, [h.c1, h.c2, c3, l.c] AS costs
  WHERE NOT m1 IN ns[..2] AND ns[0] <> ns[4]
  WITH v, bound, ns, costs, reduce(total = 0.0, c IN costs | total + c) AS cost
  WHERE (bound IS NULL OR cost <= bound) AND ($via IS NULL OR v IN ns)
  RETURN collect({ns: ns, costs: costs, cost: cost}) AS long_routes
}
CALL (found_lists, long_routes, bound, v) {
  UNWIND found_lists AS fl
  UNWIND fl AS r
  WITH r, reduce(total = 0.0, c IN r.costs | total + c) AS cost
  WHERE (bound IS NULL OR cost <= bound) AND ($via IS NULL OR v IN r.ns)
  RETURN r.ns AS ns, r.costs AS costs, cost
  UNION ALL
  UNWIND long_routes AS r
  RETURN r.ns AS ns, r.costs AS costs, r.cost AS cost
}
WITH [n IN ns | n.code] AS codes, costs, cost
ORDER BY round(cost, 6), size(codes), codes
LIMIT $candidates
RETURN codes, costs, cost
