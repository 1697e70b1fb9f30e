// Question: which skills must grow most often to make O*NET's related-occupation moves?
// Parameters: $min_level_gain (float, > 0, LV points 0-7: how much higher the target's level
//   must be), $min_importance (float, IM 1-5 of the skill in the target occupation),
//   $limit (int, skills listed).
// Returns: skill (string), element_id (string), transitions (int, RELATED_TO edges A -> B whose
//   B needs the skill at least min_level_gain higher than A), share_pct (float, 0-100, of the
//   edges between two rated occupations), avg_level_gain (float, LV), avg_importance (float,
//   IM in B).
// Example params: {"min_level_gain": 0.5, "min_importance": 3.0, "limit": 15}
MATCH (a:Occupation)-[:RELATED_TO]->(b:Occupation)
WHERE EXISTS { (a)-[:REQUIRES_SKILL]->(:Skill) } AND EXISTS { (b)-[:REQUIRES_SKILL]->(:Skill) }
WITH count(*) AS rated_moves
MATCH (a:Occupation)-[:RELATED_TO]->(b:Occupation),
      (a)-[ra:REQUIRES_SKILL]->(s:Skill)<-[rb:REQUIRES_SKILL]-(b)
WHERE rb.level - ra.level >= $min_level_gain AND rb.importance >= $min_importance
WITH s, rated_moves, count(*) AS transitions, avg(rb.level - ra.level) AS level_gain,
     avg(rb.importance) AS importance
RETURN s.name AS skill, s.element_id AS element_id, transitions,
       round(100.0 * transitions / rated_moves, 1) AS share_pct,
       round(level_gain, 2) AS avg_level_gain, round(importance, 2) AS avg_importance
ORDER BY transitions DESC, skill
LIMIT toInteger($limit)
