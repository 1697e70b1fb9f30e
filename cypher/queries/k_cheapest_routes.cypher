// Question: which loop-free routes over O*NET Related Occupations (RELATED_TO, the v0 routes) of
// 1 to 4 hops lead from one set of occupations to another, cheapest first?
// Parameters: $sources (list<string>, O*NET-SOC codes), $targets (list<string>, codes),
//   $max_hops (int, 1-4), $k (int, distinct routes wanted), $candidates (int, rows wanted: the
//   backend asks for 6 x k + 6), $min_growth_pct (float|null, percent 2024-34), $via
//   (string|null, code), $exclude (list<string>, codes).
// Returns: codes (list<string>, route from source to target), costs (list<float>, cost points
//   of each RELATED_TO hop, see docs/pathfinding.md), cost (float, their sum), at most
//   $candidates rows ordered by (cost rounded to 6 decimals, hops, codes). The same
//   occupations in another order are one route: the backend keeps the first row of each.
//   Rows that cannot be among the k best routes may be left out.
// Method: as k_cheapest_moves.cypher (meet in the middle, hop by hop, the 4-hop half pruned
//   by the k-th cost of the routes of up to 3 hops and the stored cheapest hop costs
//   Occupation.related_to_min_in_cost / related_to_min_out_cost), over RELATED_TO.
// A route never passes through a target and never repeats an occupation.
MATCH (a:Occupation) WHERE a.code IN $sources
WITH collect(DISTINCT a) AS starts
MATCH (b:Occupation) WHERE b.code IN $targets
WITH starts, collect(DISTINCT b) AS ends
OPTIONAL MATCH (v:Occupation {code: $via})
WITH starts, ends, v
CALL (ends) {
  UNWIND ends AS b
  MATCH (m1:Occupation)-[r:RELATED_TO]->(b)
  WHERE $max_hops >= 3 AND NOT m1 IN ends
    AND (size($exclude) = 0 OR NOT b.code IN $exclude)
    AND ($min_growth_pct IS NULL OR coalesce(b.growth_pct >= $min_growth_pct, false))
  RETURN collect({key: elementId(m1), m1: m1, b: b, c: r.cost}) AS last_hops,
         min(r.cost) AS last_min
}
WITH starts, ends, v, last_hops, last_min, apoc.map.groupByMulti(last_hops, 'key') AS lasts
CALL (starts, ends, lasts) {
  UNWIND starts AS a
  MATCH (a)-[r1:RELATED_TO]->(x:Occupation)
  WHERE x <> a
    AND (size($exclude) = 0 OR NOT x.code IN $exclude)
    AND ($min_growth_pct IS NULL OR coalesce(x.growth_pct >= $min_growth_pct, false))
  WITH a, x, r1.cost AS c1, ends, lasts
  CALL (a, x, ends) {
    WITH * WHERE x IN ends
    RETURN null AS m, null AS c2
    UNION ALL
    MATCH (x)-[r2:RELATED_TO]->(m:Occupation)
    WHERE $max_hops >= 2 AND NOT x IN ends AND m <> a AND m <> x
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
            OR h.c1 + h.c2 + coalesce(h.m.related_to_min_out_cost, 0.0) + last_min <= bound],
         'key') AS heads
  UNWIND last_hops AS l
  WITH ends, v, bound, heads, l, l.m1 AS m1
  WHERE bound IS NULL OR l.c + coalesce(m1.related_to_min_in_cost, 0.0) + p2min <= bound
  MATCH (m2:Occupation)-[r:RELATED_TO]->(m1)
  WHERE NOT m2 IN ends AND m2 <> m1
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
