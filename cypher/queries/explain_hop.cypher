// Question: why and at what price do these moves from occupation A to occupation B go?
// Parameters: $pairs (list of [from_code, to_code] string pairs), $limit (int, skills and
//   knowledge listed), $technologies_limit (int, technologies listed, at most 5).
// Returns: one row per pair joined by a RELATED_TO or LEADS_TO edge (others are skipped):
//   i (int, index of the pair in $pairs), a, b (occupation maps with code, title, job_zone,
//   BLS figures, estimate marks), related (RELATED_TO edge properties or null), move (LEADS_TO
//   edge properties or null), skills, knowledge (lists of maps: element_id, name, from_level,
//   to_level (LV 0-7), importance (IM 1-5 of B), gain = (to - from) * importance / 5; when A
//   has no ratings: B's key requirements with from_level null, gain from level 0),
//   technologies (names of B's In Demand technologies A does not use, of an O*NET commodity
//   (UNSPSC Commodity Code) A already uses; hot first, then by name), from_rl, to_rl (O*NET RL category most reported: {category, name}), observed
//   (MOVED_TO edge properties: CPS ASEC share_of_movers, rank, source, from_oes_codes,
//   to_oes_codes, estimated, group titles; or null).
UNWIND range(0, size($pairs) - 1) AS i
MATCH (a:Occupation {code: $pairs[i][0]}), (b:Occupation {code: $pairs[i][1]})
OPTIONAL MATCH (a)-[rel:RELATED_TO]->(b)
OPTIONAL MATCH (a)-[mv:LEADS_TO]->(b)
OPTIONAL MATCH (a)-[obs:MOVED_TO]->(b)
WITH i, a, b, rel, mv, obs
WHERE rel IS NOT NULL OR mv IS NOT NULL
CALL (a, b) {
  OPTIONAL MATCH (b)-[rb:REQUIRES_SKILL]->(s:Skill)
  OPTIONAL MATCH (a)-[ra:REQUIRES_SKILL]->(s)
  WITH s, ra, rb, EXISTS { (a)-[:REQUIRES_SKILL]->() } AS a_rated
  WHERE s IS NOT NULL AND (NOT a_rated OR (ra IS NOT NULL AND rb.level > ra.level))
  WITH s, ra, rb, (rb.level - coalesce(ra.level, 0.0)) * rb.importance / 5.0 AS gain
  ORDER BY gain DESC, s.element_id
  LIMIT $limit
  RETURN collect({element_id: s.element_id, name: s.name, from_level: ra.level,
    to_level: rb.level, importance: rb.importance, gain: gain}) AS skills
}
CALL (a, b) {
  OPTIONAL MATCH (b)-[rb:REQUIRES_KNOWLEDGE]->(k:Knowledge)
  OPTIONAL MATCH (a)-[ra:REQUIRES_KNOWLEDGE]->(k)
  WITH k, ra, rb, EXISTS { (a)-[:REQUIRES_KNOWLEDGE]->() } AS a_rated
  WHERE k IS NOT NULL AND (NOT a_rated OR (ra IS NOT NULL AND rb.level > ra.level))
  WITH k, ra, rb, (rb.level - coalesce(ra.level, 0.0)) * rb.importance / 5.0 AS gain
  ORDER BY gain DESC, k.element_id
  LIMIT $limit
  RETURN collect({element_id: k.element_id, name: k.name, from_level: ra.level,
    to_level: rb.level, importance: rb.importance, gain: gain}) AS knowledge
}
CALL (a, b) {
  OPTIONAL MATCH (b)-[u:USES_TECHNOLOGY {in_demand: true}]->(t:Technology)
  WHERE NOT EXISTS { (a)-[:USES_TECHNOLOGY]->(t) }
    AND EXISTS { (a)-[ua:USES_TECHNOLOGY]->() WHERE ua.commodity_code = u.commodity_code }
  WITH t, u
  ORDER BY u.hot DESC, t.name
  LIMIT $technologies_limit
  RETURN collect(t.name) AS technologies
}
CALL (a) {
  OPTIONAL MATCH (a)-[e:TYPICAL_EDUCATION]->(l:EducationLevel)
  WITH l, e ORDER BY e.share_pct DESC, l.category LIMIT 1
  RETURN CASE WHEN l IS NULL THEN null ELSE {category: l.category, name: l.name} END AS from_rl
}
CALL (b) {
  OPTIONAL MATCH (b)-[e:TYPICAL_EDUCATION]->(l:EducationLevel)
  WITH l, e ORDER BY e.share_pct DESC, l.category LIMIT 1
  RETURN CASE WHEN l IS NULL THEN null ELSE {category: l.category, name: l.name} END AS to_rl
}
// (the next-step lists, ~180 entries each, are not needed to explain a hop)
RETURN i, a {.*, next_step_codes: null, next_step_probabilities: null} AS a,
       b {.*, next_step_codes: null, next_step_probabilities: null} AS b,
       CASE WHEN rel IS NULL THEN null ELSE properties(rel) END AS related,
       CASE WHEN mv IS NULL THEN null ELSE properties(mv) END AS move,
       CASE WHEN obs IS NULL THEN null ELSE properties(obs) END AS observed,
       skills, knowledge, technologies, from_rl, to_rl
ORDER BY i
