// Question: what does occupation B need that occupation A does not (skills, knowledge,
//   technologies)?
// Parameters: $from_code (string, A), $to_code (string, B), $limit (int, entries per list),
//   $technologies_limit (int, technologies listed, at most 5).
// Returns: from_code, from_title, from_job_zone, to_code, to_title, to_job_zone;
//   skills, knowledge (lists of maps: element_id, name, from_level, to_level (LV 0-7),
//     importance (IM 1-5 of B), gain = (to - from) * importance / 5; elements both rate with a
//     higher level in B, top $limit by gain desc, element_id; when A has no ratings: B's key
//     requirements with from_level null, gain from level 0, as in explain_hop.cypher);
//   technologies (list of maps: name, commodity_title, hot, in_demand; B's In Demand
//     products that A does not use, hot first, then name, top $technologies_limit),
//     technology_count (int, all such products), shared_technology_count (int, products both
//     use), from_estimates,
//   to_estimates (maps: title and the skills_/knowledge_ estimated_from and estimate_source
//   properties). No row if a code is unknown.
MATCH (a:Occupation {code: $from_code}), (b:Occupation {code: $to_code})
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
  OPTIONAL MATCH (b)-[r:USES_TECHNOLOGY]->(t:Technology)
  WITH t, r, EXISTS { (a)-[:USES_TECHNOLOGY]->(t) } AS shared
  RETURN count(CASE WHEN shared THEN t END) AS shared_technology_count,
         count(CASE WHEN NOT shared AND r.in_demand THEN t END) AS technology_count
}
CALL (a, b) {
  OPTIONAL MATCH (b)-[r:USES_TECHNOLOGY {in_demand: true}]->(t:Technology)
  WHERE NOT EXISTS { (a)-[:USES_TECHNOLOGY]->(t) }
  WITH t, r
  ORDER BY r.hot DESC, t.name
  LIMIT $technologies_limit
  RETURN collect(CASE WHEN t IS NULL THEN null ELSE {name: t.name,
    commodity_title: t.commodity_title, hot: r.hot, in_demand: r.in_demand} END) AS technologies
}
RETURN a.code AS from_code, a.title AS from_title, a.job_zone AS from_job_zone,
       b.code AS to_code, b.title AS to_title, b.job_zone AS to_job_zone,
       skills, knowledge, technologies, technology_count, shared_technology_count,
       a { .title, .skills_estimated_from, .skills_estimate_source, .knowledge_estimated_from,
           .knowledge_estimate_source } AS from_estimates,
       b { .title, .skills_estimated_from, .skills_estimate_source, .knowledge_estimated_from,
           .knowledge_estimate_source } AS to_estimates
