// Question: why and at what price does one move from occupation A to related occupation B go?
// Parameters: $from_code (string), $to_code (string), $limit (int, elements listed per kind).
// Returns: from_code, from_title, to_code, to_title, tier, rank, cost, from_job_zone,
//   to_job_zone, skills (list of maps), knowledge (list of maps). Each map: element_id, name,
//   from_level, to_level (LV 0-7), importance (IM 1-5 of B), gain = (to - from) * importance / 5.
MATCH (a:Occupation {code: $from_code})-[r:RELATED_TO]->(b:Occupation {code: $to_code})
CALL (a, b) {
  OPTIONAL MATCH (a)-[ra:REQUIRES_SKILL]->(s:Skill)<-[rb:REQUIRES_SKILL]-(b)
  WHERE rb.level > ra.level
  WITH s, ra, rb, (rb.level - ra.level) * rb.importance / 5.0 AS gain
  ORDER BY gain DESC, s.element_id
  LIMIT $limit
  RETURN collect(CASE WHEN s IS NULL THEN null ELSE {element_id: s.element_id, name: s.name,
    from_level: ra.level, to_level: rb.level, importance: rb.importance, gain: gain} END) AS skills
}
CALL (a, b) {
  OPTIONAL MATCH (a)-[ra:REQUIRES_KNOWLEDGE]->(k:Knowledge)<-[rb:REQUIRES_KNOWLEDGE]-(b)
  WHERE rb.level > ra.level
  WITH k, ra, rb, (rb.level - ra.level) * rb.importance / 5.0 AS gain
  ORDER BY gain DESC, k.element_id
  LIMIT $limit
  RETURN collect(CASE WHEN k IS NULL THEN null ELSE {element_id: k.element_id, name: k.name,
    from_level: ra.level, to_level: rb.level, importance: rb.importance, gain: gain} END) AS knowledge
}
RETURN a.code AS from_code, a.title AS from_title, b.code AS to_code, b.title AS to_title,
       r.tier AS tier, r.rank AS rank, r.cost AS cost,
       a.job_zone AS from_job_zone, b.job_zone AS to_job_zone, skills, knowledge
