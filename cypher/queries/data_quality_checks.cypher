// Question: is the loaded graph complete and consistent? (one row per check, 0 problems = clean)
// Parameters: $examples (int, keys listed per check).
// Returns: id (int, 1-11), check (string), problems (int, offending nodes or relationships),
//   examples (list<string>, up to $examples codes, names or element ids).
// Notes: in a clean O*NET 29.3 load only the first four checks find anything: 137 occupations
//   have no O*NET skill or knowledge ratings of their own (75 "All Other" residuals, 17
//   military codes and 45 others not yet rated, Software Developers 15-1252.00 among them;
//   all but the 19 military codes carry estimated ratings instead, marked estimated_from),
//   93 have no job zone and no related occupations. Every other check must give 0, dangling
//   titles (no TITLE_OF edge to an occupation) among them.
// Example params: {"examples": 5}
CALL () {
  MATCH (o:Occupation)
  WHERE NOT EXISTS { (o)-[r:REQUIRES_SKILL]->(:Skill) WHERE r.estimated_from IS NULL }
  WITH count(o) AS problems, collect(o.code)[..toInteger($examples)] AS examples
  RETURN 1 AS id, 'occupations without O*NET skill ratings' AS check, problems, examples
  UNION ALL
  MATCH (o:Occupation)
  WHERE NOT EXISTS { (o)-[r:REQUIRES_KNOWLEDGE]->(:Knowledge) WHERE r.estimated_from IS NULL }
  WITH count(o) AS problems, collect(o.code)[..toInteger($examples)] AS examples
  RETURN 2 AS id, 'occupations without O*NET knowledge ratings' AS check, problems, examples
  UNION ALL
  MATCH (o:Occupation) WHERE o.job_zone IS NULL
  WITH count(o) AS problems, collect(o.code)[..toInteger($examples)] AS examples
  RETURN 3 AS id, 'occupations without a job zone' AS check, problems, examples
  UNION ALL
  MATCH (o:Occupation) WHERE NOT EXISTS { (o)-[:RELATED_TO]->(:Occupation) }
  WITH count(o) AS problems, collect(o.code)[..toInteger($examples)] AS examples
  RETURN 4 AS id, 'occupations without related occupations' AS check, problems, examples
  UNION ALL
  MATCH (t:Title) WHERE NOT EXISTS { (t)-[:TITLE_OF]->(:Occupation) }
  WITH count(t) AS problems, collect(t.name)[..toInteger($examples)] AS examples
  RETURN 5 AS id, 'dangling titles (no occupation)' AS check, problems, examples
  UNION ALL
  MATCH (o:Occupation) WHERE NOT EXISTS { (:Title)-[:TITLE_OF {source: 'occupation'}]->(o) }
  WITH count(o) AS problems, collect(o.code)[..toInteger($examples)] AS examples
  RETURN 6 AS id, 'occupations without their own title node' AS check, problems, examples
  UNION ALL
  MATCH (t:Technology) WHERE NOT EXISTS { (:Occupation)-[:USES_TECHNOLOGY]->(t) }
  WITH count(t) AS problems, collect(t.name)[..toInteger($examples)] AS examples
  RETURN 7 AS id, 'technologies used by no occupation' AS check, problems, examples
  UNION ALL
  MATCH (a:Occupation)-[r:RELATED_TO]->(b:Occupation)
  WHERE a = b OR r.cost IS NULL OR NOT r.rank IN range(1, 20)
    OR NOT r.tier IN ['Primary-Short', 'Primary-Long', 'Supplemental']
  WITH count(r) AS problems, collect(a.code + ' -> ' + b.code)[..toInteger($examples)] AS examples
  RETURN 8 AS id, 'RELATED_TO self-loops or bad tier, rank, cost' AS check, problems, examples
  UNION ALL
  MATCH (o:Occupation)-[r:REQUIRES_SKILL|REQUIRES_KNOWLEDGE]->(e)
  WHERE NOT (1 <= r.importance <= 5 AND 0 <= r.level <= 7)
  WITH count(r) AS problems,
       collect(o.code + ' ' + e.element_id)[..toInteger($examples)] AS examples
  RETURN 9 AS id, 'ratings off the IM 1-5 or LV 0-7 scale' AS check, problems, examples
  UNION ALL
  MATCH (o:Occupation)-[r:TYPICAL_EDUCATION]->(:EducationLevel)
  WITH o, sum(r.share_pct) AS total_pct
  WHERE abs(total_pct - 100) > 1
  WITH count(o) AS problems, collect(o.code)[..toInteger($examples)] AS examples
  RETURN 10 AS id, 'education shares not summing to 100 +- 1 pct' AS check, problems, examples
  UNION ALL
  OPTIONAL MATCH (g:GraphRelease {key: 'onet'})
  MATCH (n) WHERE NOT n:GraphRelease AND (g IS NULL OR n.load_id <> g.load_id)
  WITH count(n) AS problems, collect(labels(n)[0])[..toInteger($examples)] AS examples
  RETURN 11 AS id, 'nodes not written by the last load' AS check, problems, examples
}
RETURN id, check, problems, examples
ORDER BY id
