// Question: what are the k cheapest career routes from one role to another (drawn as paths)?
// Parameters: $from_role (string, O*NET-SOC code or job title, e.g. "Software Systems Engineer"),
//   $to_role (string, the same), $k (int, 1-10, routes wanted), $max_hops (int, 1-4, hops per
//   route).
// Returns: route (path: Browser draws it), titles (list<string>), codes (list<string>),
//   hops (int), cost (float, cost points: sum of RELATED_TO.cost, see docs/pathfinding.md).
// Method: a role is an O*NET-SOC code, else every occupation carrying the best exact title kind
//   (occupation, then alternate, then reported title, case ignored: index title_name_lower),
//   else the occupations of the best full-text hit (index title_fulltext, fuzzy terms, the 20
//   best re-ranked by APOC's Levenshtein similarity, where the CLI uses rapidfuzz). Routes
//   are loop-free, never pass through a target and sort by (cost, hops, codes) as
//   `careergraph path` does, but stop at 4 hops (the CLI query k_cheapest_routes goes to 6).
// Example params: {"from_role": "Software Systems Engineer", "to_role": "Engineering Director",
//   "k": 3, "max_hops": 4}
CALL () {
  UNWIND [[0, $from_role], [1, $to_role]] AS side_role
  WITH side_role[0] AS side, trim(side_role[1]) AS role
  CALL (role) {
    MATCH (o:Occupation {code: role})
    RETURN 0 AS kind, o
    UNION
    MATCH (:Title {name_lower: toLower(role)})-[r:TITLE_OF]->(o:Occupation)
    RETURN CASE r.source WHEN 'occupation' THEN 1 WHEN 'alternate' THEN 2 ELSE 3 END AS kind, o
    UNION
    WITH reduce(s = role, c IN split('\\+-!(){}[]^"~*?:/', '') | replace(s, c, '\\' + c)) AS text
    WHERE text <> ''
    CALL db.index.fulltext.queryNodes('title_fulltext',
      reduce(q = '', term IN split(text, ' ') |
        q + ' ' + term + CASE WHEN size(term) > 3 THEN '~' ELSE '' END),
      {limit: 20}) YIELD node, score
    WITH node ORDER BY apoc.text.levenshteinSimilarity(toLower(node.name), toLower(role)) DESC,
      score DESC, node.name LIMIT 1
    MATCH (node)-[:TITLE_OF]->(o:Occupation)
    RETURN 4 AS kind, o
  }
  WITH side, kind, collect(DISTINCT o) AS occupations
  ORDER BY side, kind
  WITH side, head(collect(occupations)) AS occupations
  RETURN collect(occupations) AS ends
}
WITH ends[0] AS sources, ends[1] AS targets
UNWIND sources AS a
MATCH route = (a)-[:RELATED_TO*1..4]->(b:Occupation)
WHERE b IN targets AND length(route) <= $max_hops
  AND none(n IN nodes(route)[1..-1] WHERE n IN targets)
  AND all(i IN range(0, length(route) - 1) WHERE NOT nodes(route)[i] IN nodes(route)[i + 1..])
WITH route, reduce(total = 0.0, r IN relationships(route) | total + r.cost) AS cost
RETURN route, [n IN nodes(route) | n.title] AS titles, [n IN nodes(route) | n.code] AS codes,
       length(route) AS hops, cost
ORDER BY round(cost, 6), hops, codes
LIMIT toInteger($k)
