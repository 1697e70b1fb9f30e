// Question: which occupations does O*NET not rate for skills, why, and where do their
//   estimated ratings come from (graph/estimated_ratings.py)?
// Parameters: $limit (int, occupations listed).
// Returns: code, title, reason ("All Other residual" | "military" | "not rated in this
//   release"), job_zone (int 1-5 or null), knowledge_rated (bool, O*NET's own knowledge
//   ratings), skills_estimated_from (list of O*NET-SOC codes the estimated skills are taken
//   from, or null when none are estimated), skills_estimate_source (release and rule, or null),
//   technologies (int), related (int, RELATED_TO edges out), titles (int, TITLE_OF edges in).
// Example params: {"limit": 200}
MATCH (o:Occupation)
WHERE NOT EXISTS { (o)-[r:REQUIRES_SKILL]->(:Skill) WHERE r.estimated_from IS NULL }
RETURN o.code AS code, o.title AS title,
       CASE
         WHEN o.title ENDS WITH 'All Other' THEN 'All Other residual'
         WHEN o.soc_major_group = '55' THEN 'military'
         ELSE 'not rated in this release'
       END AS reason,
       o.job_zone AS job_zone,
       EXISTS { (o)-[k:REQUIRES_KNOWLEDGE]->(:Knowledge) WHERE k.estimated_from IS NULL }
         AS knowledge_rated,
       o.skills_estimated_from AS skills_estimated_from,
       o.skills_estimate_source AS skills_estimate_source,
       COUNT { (o)-[:USES_TECHNOLOGY]->(:Technology) } AS technologies,
       COUNT { (o)-[:RELATED_TO]->(:Occupation) } AS related,
       COUNT { (:Title)-[:TITLE_OF]->(o) } AS titles
ORDER BY reason, code
LIMIT toInteger($limit)
