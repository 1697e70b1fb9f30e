// Question: what are the k cheapest loop-free career-move routes (LEADS_TO) between two sets of
// occupations, with the user's filters?
// Parameters: $sources (list<string>, O*NET-SOC codes), $targets (list<string>, codes),
//   $k (int, 1-10), $max_hops (int, 1-6), $only_advancement (bool), $max_wage_drop_pct (float|null,
//   percent), $min_growth_pct (float|null, percent 2024-34), $via (string|null, code),
//   $exclude (list<string>, codes).
// Returns: codes (list<string>, route from source to target), costs (list<float>, cost
//   points of each LEADS_TO hop, see docs/pathfinding.md), cost (float, their sum).
// Method: routes of <= 3 hops are enumerated from the sources; longer routes join 3 hops out of
// the sources with 1-3 hops into the targets on the middle node (hash join, meet in the middle).
// A route never passes through a target; ties break on hops, then the codes. Routes through the
// same occupations in another order count once (the cheapest order is kept).
CALL () {
  MATCH (a:Occupation) WHERE a.code IN $sources
  MATCH p = (a)-[:LEADS_TO*1..3]->(b:Occupation)
  WHERE b.code IN $targets AND length(p) <= $max_hops
  RETURN nodes(p) AS ns, relationships(p) AS rs
  UNION ALL
  MATCH (a:Occupation), (b:Occupation)
  WHERE $max_hops >= 4 AND a.code IN $sources AND b.code IN $targets
  MATCH fp = (a)-[:LEADS_TO*3]->(m:Occupation), bp = (m)-[:LEADS_TO]->(b)
  USING JOIN ON m
  RETURN nodes(fp) + tail(nodes(bp)) AS ns, relationships(fp) + relationships(bp) AS rs
  UNION ALL
  MATCH (a:Occupation), (b:Occupation)
  WHERE $max_hops >= 5 AND a.code IN $sources AND b.code IN $targets
  MATCH fp = (a)-[:LEADS_TO*3]->(m:Occupation), bp = (m)-[:LEADS_TO*2]->(b)
  USING JOIN ON m
  RETURN nodes(fp) + tail(nodes(bp)) AS ns, relationships(fp) + relationships(bp) AS rs
  UNION ALL
  MATCH (a:Occupation), (b:Occupation)
  WHERE $max_hops >= 6 AND a.code IN $sources AND b.code IN $targets
  MATCH fp = (a)-[:LEADS_TO*3]->(m:Occupation), bp = (m)-[:LEADS_TO*3]->(b)
  USING JOIN ON m
  RETURN nodes(fp) + tail(nodes(bp)) AS ns, relationships(fp) + relationships(bp) AS rs
}
WITH ns, rs
WHERE none(n IN ns[1..-1] WHERE n.code IN $targets)
  AND all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
  AND all(r IN rs WHERE (NOT $only_advancement OR r.kind = 'advancement')
          AND ($max_wage_drop_pct IS NULL OR r.wage_delta_pct IS NULL
               OR r.wage_delta_pct >= -$max_wage_drop_pct))
  AND all(n IN ns[1..] WHERE NOT n.code IN $exclude
          AND ($min_growth_pct IS NULL OR coalesce(n.growth_pct >= $min_growth_pct, false)))
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
