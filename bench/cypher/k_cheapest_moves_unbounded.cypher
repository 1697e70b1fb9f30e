// The previous k_cheapest_moves.cypher (meet in the middle without the cost bound), kept only
// so that bench/paths.py can time it beside the current query in the same run. Same
// parameters as cypher/queries/k_cheapest_moves.cypher, less $k.
// Question: which loop-free career-move routes (LEADS_TO) of 1 to 4 hops lead from one set of
// occupations to another, with the user's filters, cheapest first?
// Parameters: $sources (list<string>, O*NET-SOC codes), $targets (list<string>, codes),
//   $max_hops (int, 1-4), $candidates (int, rows wanted: the backend asks for 6 x k + 6),
//   $only_advancement (bool), $max_wage_drop_pct (float|null, percent), $min_growth_pct
//   (float|null, percent 2024-34), $via (string|null, code), $exclude (list<string>, codes).
// Returns: codes (list<string>, route from source to target), costs (list<float>, cost points
//   of each LEADS_TO hop, see docs/pathfinding.md), cost (float, their sum), at most
//   $candidates rows ordered by (cost rounded to 6 decimals, hops, codes). The same
//   occupations in another order (at most 3! = 6 orders for 4 hops) are one route: the
//   backend keeps the first row of each, so 6 x k rows always hold the k best routes.
// Method: meet in the middle, hop by hop (no path objects: each relationship and node is read
// once per row). Suffixes of 1-2 hops into a target are grouped by their first node m; prefixes
// of 1-2 hops out of a source either end at a target or, at 2 hops, are joined with the
// suffixes of their last node m by map lookup. Filters are applied as each hop is expanded. A
// route never passes through a target and never repeats an occupation.
MATCH (a:Occupation) WHERE a.code IN $sources
WITH collect(DISTINCT a) AS starts
MATCH (b:Occupation) WHERE b.code IN $targets
WITH starts, collect(DISTINCT b) AS ends
CALL (ends) {
  UNWIND ends AS b
  MATCH (m1:Occupation)-[r1:LEADS_TO]->(b)
  WHERE $max_hops >= 3 AND NOT m1 IN ends
    AND (NOT $only_advancement OR r1.kind = 'advancement')
    AND ($max_wage_drop_pct IS NULL OR r1.wage_delta_pct IS NULL
         OR r1.wage_delta_pct >= -$max_wage_drop_pct)
    AND (size($exclude) = 0 OR NOT b.code IN $exclude)
    AND ($min_growth_pct IS NULL OR coalesce(b.growth_pct >= $min_growth_pct, false))
  WITH ends, b, m1, [b.code] AS codes1, [r1.cost] AS costs1
  CALL (ends, b, m1, codes1, costs1) {
    RETURN m1 AS m, codes1 AS codes, costs1 AS costs
    UNION ALL
    MATCH (m2:Occupation)-[r2:LEADS_TO]->(m1)
    WHERE $max_hops >= 4 AND NOT m2 IN ends AND m2 <> b AND m2 <> m1
      AND (NOT $only_advancement OR r2.kind = 'advancement')
      AND ($max_wage_drop_pct IS NULL OR r2.wage_delta_pct IS NULL
           OR r2.wage_delta_pct >= -$max_wage_drop_pct)
      AND (size($exclude) = 0 OR NOT m1.code IN $exclude)
      AND ($min_growth_pct IS NULL OR coalesce(m1.growth_pct >= $min_growth_pct, false))
    RETURN m2 AS m, [m1.code] + codes1 AS codes, [r2.cost] + costs1 AS costs
  }
  RETURN apoc.map.groupByMulti(collect({code: m.code, codes: codes, costs: costs}), 'code')
    AS suffixes
}
UNWIND starts AS a
MATCH (a)-[r1:LEADS_TO]->(x:Occupation)
WHERE x <> a
  AND (NOT $only_advancement OR r1.kind = 'advancement')
  AND ($max_wage_drop_pct IS NULL OR r1.wage_delta_pct IS NULL
       OR r1.wage_delta_pct >= -$max_wage_drop_pct)
  AND (size($exclude) = 0 OR NOT x.code IN $exclude)
  AND ($min_growth_pct IS NULL OR coalesce(x.growth_pct >= $min_growth_pct, false))
WITH a, x, [a.code, x.code] AS codes1, [r1.cost] AS costs1, suffixes, ends
CALL (a, x, codes1, costs1, suffixes, ends) {
  WITH * WHERE x IN ends
  RETURN codes1 AS head, costs1 AS head_costs, true AS done, null AS mid
  UNION ALL
  MATCH (x)-[r2:LEADS_TO]->(m:Occupation)
  WHERE $max_hops >= 2 AND NOT x IN ends AND m <> a AND m <> x
    AND (NOT $only_advancement OR r2.kind = 'advancement')
    AND ($max_wage_drop_pct IS NULL OR r2.wage_delta_pct IS NULL
         OR r2.wage_delta_pct >= -$max_wage_drop_pct)
    AND (size($exclude) = 0 OR NOT m.code IN $exclude)
    AND ($min_growth_pct IS NULL OR coalesce(m.growth_pct >= $min_growth_pct, false))
  WITH codes1, costs1, r2, m IN ends AS done, m.code AS mid, suffixes
  WHERE done OR suffixes[mid] IS NOT NULL
  RETURN codes1 + mid AS head, costs1 + r2.cost AS head_costs, done, mid
}
UNWIND CASE WHEN done THEN [{codes: [], costs: []}] ELSE suffixes[mid] END AS tail
WITH head, head_costs, tail
WHERE none(c IN tail.codes WHERE c IN head)
  AND ($via IS NULL OR $via IN head OR $via IN tail.codes)
WITH head, tail, head_costs + tail.costs AS costs
WITH head, tail, costs, reduce(total = 0.0, c IN costs | total + c) AS cost
ORDER BY round(cost, 6), size(head) + size(tail.codes), head, tail.codes
LIMIT $candidates
RETURN head + tail.codes AS codes, costs, cost
