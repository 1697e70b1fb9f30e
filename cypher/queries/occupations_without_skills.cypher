// Question: which occupations have no skill ratings, so that routes through them show no
//   skill gaps, and why?
// Parameters: $limit (int, occupations listed).
// Returns: code, title, reason ("All Other residual" | "military" | "not rated in this
//   release"), job_zone (int 1-5 or null), knowledge_rated (bool), technologies (int),
//   related (int, RELATED_TO edges out), titles (int, TITLE_OF edges in).
// Example params: {"limit": 200}
MATCH (o:Occupation)
WHERE NOT EXISTS { (o)-[:REQUIRES_SKILL]->(:Skill) }
RETURN o.code AS code, o.title AS title,
       CASE
         WHEN o.title ENDS WITH 'All Other' THEN 'All Other residual'
         WHEN o.soc_major_group = '55' THEN 'military'
         ELSE 'not rated in this release'
       END AS reason,
       o.job_zone AS job_zone,
       EXISTS { (o)-[:REQUIRES_KNOWLEDGE]->(:Knowledge) } AS knowledge_rated,
       COUNT { (o)-[:USES_TECHNOLOGY]->(:Technology) } AS technologies,
       COUNT { (o)-[:RELATED_TO]->(:Occupation) } AS related,
       COUNT { (:Title)-[:TITLE_OF]->(o) } AS titles
ORDER BY reason, code
LIMIT toInteger($limit)
