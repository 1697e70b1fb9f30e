// Question: which occupations and career edges make up this route? (Draws the route in Neo4j
//   Browser; the HTTP API links every path it returns to this statement.)
// Parameters: $codes (list<string>, O*NET-SOC codes of the route in order, 2-7 codes),
//   $relationships (list<string>, type of each hop's edge, e.g. "RELATED_TO"; one fewer than
//   $codes).
// Returns: hop (int, 1-based position), route (path: one edge of the given type); by hop.
UNWIND range(0, size($codes) - 2) AS i
MATCH route = (:Occupation {code: $codes[i]})-[r]->(:Occupation {code: $codes[i + 1]})
WHERE type(r) = $relationships[i]
RETURN i + 1 AS hop, route
ORDER BY hop
