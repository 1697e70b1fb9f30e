// Question: what are the k cheapest career routes from one role to another (drawn as paths),
//   the routes `careergraph path` gives?
// Parameters: $from_role (string, O*NET-SOC code or job title, e.g. "Software Systems Engineer"),
//   $to_role (string, the same), $k (int, 1-10, routes wanted), $max_hops (int, 1-4, hops per
//   route).
// Returns: route (path of LEADS_TO moves: Browser draws it), titles (list<string>), codes
//   (list<string>), kinds (list<string>: advancement, lateral, step_back per hop), hops (int),
//   cost (float, cost points: sum of LEADS_TO.cost, see docs/pathfinding.md), from_code,
//   to_code (the occupations the roles were read as).
// Method: a role is an O*NET-SOC code; else its lookup key (lower case, other characters than
//   0-9 a-z + # as single spaces) is looked up among the titles' lookup_keys, and the code
//   graph/titles.py resolved that key to at load time is used (lookup_codes), so exact and
//   alternate titles, plurals, parenthesised forms and abbreviations O*NET lists ("CTO") read
//   as in the CLI and the API. Text that is no stored key (a misspelling, a rewritten title)
//   falls back to the full-text index title_fulltext: the hit closest to the text (APOC's
//   Levenshtein similarity) stands for it, resolved the same way; the product's own fuzzy rule
//   (graph/titles.py) may choose otherwise there. Routes follow LEADS_TO with its cost, as
//   `careergraph path` does: loop-free, never through the target, the same occupations in
//   another order counted once (cheapest order kept), sorted by (cost, hops, codes), at most
//   4 hops (the CLI goes to 6 with --max-hops).
// Example params: {"from_role": "Software Systems Engineer", "to_role": "Engineering Director",
//   "k": 3, "max_hops": 4}
CALL () {
  UNWIND [[0, $from_role], [1, $to_role]] AS side_role
  WITH side_role[0] AS side, trim(side_role[1]) AS role
  WITH side, role, [w IN split(reduce(s = '', c IN split(toLower(role), '') |
    s + CASE WHEN c IN split('0123456789abcdefghijklmnopqrstuvwxyz+\u0023', '') THEN c
                 ELSE ' ' END),
    ' ') WHERE w <> ''] AS words
  WITH side, role, reduce(k = '', w IN words | k + CASE k WHEN '' THEN '' ELSE ' ' END + w) AS key
  CALL (role, key) {
    MATCH (o:Occupation {code: role})
    RETURN 0 AS stage, o.code AS code
    UNION
    MATCH (t:Title)
    WHERE key IN t.lookup_keys
    WITH t LIMIT 1
    RETURN 1 AS stage,
           [i IN range(0, size(t.lookup_keys) - 1) WHERE t.lookup_keys[i] = key |
            t.lookup_codes[i]][0] AS code
    UNION
    WITH reduce(s = role, c IN split('\\+-!(){}[]^"~*?:/', '') | replace(s, c, '\\' + c)) AS text
    WHERE text <> ''
    CALL db.index.fulltext.queryNodes('title_fulltext',
      reduce(q = '', term IN split(text, ' ') |
        q + ' ' + term + CASE WHEN size(term) > 3 THEN '~' ELSE '' END),
      {limit: 20}) YIELD node, score
    WITH node ORDER BY apoc.text.levenshteinSimilarity(toLower(node.name), toLower(role)) DESC,
      score DESC, node.name LIMIT 1
    RETURN 2 AS stage, node.lookup_codes[0] AS code
  }
  WITH side, stage, code
  WHERE code IS NOT NULL
  ORDER BY side, stage
  WITH side, head(collect(code)) AS code
  WITH collect([side, code]) AS ends
  RETURN [e IN ends WHERE e[0] = 0 | e[1]][0] AS from_code,
         [e IN ends WHERE e[0] = 1 | e[1]][0] AS to_code
}
MATCH (a:Occupation {code: from_code}), (b:Occupation {code: to_code})
MATCH route = (a)-[:LEADS_TO*1..4]->(b)
WHERE length(route) <= toInteger($max_hops)
  AND all(i IN range(0, length(route) - 1) WHERE NOT nodes(route)[i] IN nodes(route)[i + 1..])
WITH route, from_code, to_code, [n IN nodes(route) | n.code] AS codes,
     reduce(total = 0.0, r IN relationships(route) | total + r.cost) AS cost
WITH route, from_code, to_code, codes, cost,
     [head(codes), last(codes)] + COLLECT { UNWIND codes[1..-1] AS c RETURN c ORDER BY c } AS key
ORDER BY round(cost, 6), size(codes), codes
WITH key, collect({route: route, codes: codes, cost: cost, from_code: from_code,
  to_code: to_code})[0] AS best
WITH best.route AS route, best.codes AS codes, best.cost AS cost, best.from_code AS from_code,
     best.to_code AS to_code
RETURN route, [n IN nodes(route) | n.title] AS titles, codes,
       [r IN relationships(route) | r.kind] AS kinds, length(route) AS hops, cost, from_code,
       to_code
ORDER BY round(cost, 6), hops, codes
LIMIT toInteger($k)
