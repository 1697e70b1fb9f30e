// Question: which routes of 5 or 6 hops over $relationship (LEADS_TO career moves or RELATED_TO)
// cost at most $bound, cheapest first? (The second phase of the backend's route search: routes of
// up to 4 hops come from k_cheapest_moves.cypher / k_cheapest_routes.cypher, whose k-th cost
// bounds this search.)
// Parameters: $relationship (string, LEADS_TO or RELATED_TO), $sources, $targets (list<string>,
//   O*NET-SOC codes), $k (int, 1-10), $max_hops (int, 5-6), $bound (float, cost points: no route
//   above it is wanted), $min_edge_cost (float, the cheapest hop of $relationship in the graph,
//   for pruning; min_hop_cost.cypher), and the filters of k_cheapest_moves.cypher:
//   $only_advancement (bool), $max_wage_drop_pct (float|null), $min_growth_pct (float|null),
//   $via (string|null), $exclude (list<string>) (the first two only for LEADS_TO).
// Returns: codes (list<string>), costs (list<float>, cost of each hop), cost (float, their sum).
// Method: suffixes of 2..($max_hops - 3) hops are enumerated backwards from the targets and
// filtered and pruned (cost + 3 x $min_edge_cost <= $bound), grouped by their first node (APOC
// apoc.map.groupByMulti); prefixes of exactly 3 hops from the sources are pruned the same way
// and joined to the suffixes of their last node by map lookup. Both relationship types are
// named in the patterns and the type is checked on every hop (a parameter cannot name a type in
// a variable-length pattern). Same order and route identity as k_cheapest_moves.cypher.
CALL () {
  MATCH (b:Occupation) WHERE b.code IN $targets
  MATCH bp = (m:Occupation)-[:LEADS_TO|RELATED_TO*2..3]->(b)
  WHERE length(bp) <= $max_hops - 3
    AND none(n IN nodes(bp)[..-1] WHERE n.code IN $targets)
    AND all(r IN relationships(bp) WHERE type(r) = $relationship
            AND (NOT $only_advancement OR r.kind = 'advancement')
            AND ($max_wage_drop_pct IS NULL OR r.wage_delta_pct IS NULL
                 OR r.wage_delta_pct >= -$max_wage_drop_pct))
    AND all(n IN nodes(bp)[1..] WHERE NOT n.code IN $exclude
            AND ($min_growth_pct IS NULL OR coalesce(n.growth_pct >= $min_growth_pct, false)))
  WITH m, bp, reduce(total = 0.0, r IN relationships(bp) | total + r.cost) AS bcost
  WHERE bcost + 3 * $min_edge_cost <= $bound
  RETURN apoc.map.groupByMulti(
    collect({code: m.code, ns: nodes(bp), rs: relationships(bp), cost: bcost}), 'code'
  ) AS suffixes
}
MATCH (a:Occupation) WHERE a.code IN $sources
MATCH fp = (a)-[:LEADS_TO|RELATED_TO*3]->(m:Occupation)
WHERE none(n IN nodes(fp)[1..] WHERE n.code IN $targets)
  AND all(r IN relationships(fp) WHERE type(r) = $relationship
          AND (NOT $only_advancement OR r.kind = 'advancement')
          AND ($max_wage_drop_pct IS NULL OR r.wage_delta_pct IS NULL
               OR r.wage_delta_pct >= -$max_wage_drop_pct))
  AND all(n IN nodes(fp)[1..] WHERE NOT n.code IN $exclude
          AND ($min_growth_pct IS NULL OR coalesce(n.growth_pct >= $min_growth_pct, false)))
WITH suffixes, fp, suffixes[m.code] AS tails,
     reduce(total = 0.0, r IN relationships(fp) | total + r.cost) AS fcost
WHERE tails IS NOT NULL AND fcost + $min_edge_cost <= $bound
UNWIND tails AS tail
WITH fp, tail, fcost
WHERE fcost + tail.cost <= $bound + 1e-9
WITH nodes(fp) + tail(tail.ns) AS ns, relationships(fp) + tail.rs AS rs
WHERE all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
  AND ($via IS NULL OR any(n IN ns WHERE n.code = $via))
WITH [n IN ns | n.code] AS codes,
     [r IN rs | r.cost] AS costs,
     reduce(total = 0.0, r IN rs | total + r.cost) AS cost
WITH codes, costs, cost,
     [head(codes), last(codes)] + COLLECT { UNWIND codes[1..-1] AS c RETURN c ORDER BY c } AS key
ORDER BY round(cost, 6), size(codes), codes
WITH key, collect({codes: codes, costs: costs, cost: cost})[0] AS best
RETURN best.codes AS codes, best.costs AS costs, best.cost AS cost
ORDER BY round(cost, 6), size(codes), codes
LIMIT $k
