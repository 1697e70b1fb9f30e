// Question: what do two occupations share, and what does the first lack against the second
//   (skills, knowledge, technologies)?
// Parameters: $from_occupation (string, O*NET-SOC code or occupation title, case ignored),
//   $to_occupation (string, the same), $min_importance (float, IM 1-5: skill and knowledge
//   elements less important than this in the second occupation are left out),
//   $limit (int, rows per kind and status).
// Returns: kind ("skill" | "knowledge" | "technology"), status ("shared": both need it and the
//   first already has the second's level, or both use the technology | "gap": the second needs
//   a higher level (LV 0-7), or uses a technology the first does not), name,
//   from_level, to_level (LV 0-7, null for technologies), importance (IM 1-5 in the second,
//   null for technologies), gain (float, (to_level - from_level) * importance / 5 as in
//   explain_hop, null for technologies), hot (bool, Hot Technology in the second, null for
//   skills and knowledge).
// Example params: {"from_occupation": "15-1299.08", "to_occupation": "Architectural and Engineering Managers",
//   "min_importance": 3.0, "limit": 10}
MATCH (a:Occupation)
WHERE a.code = $from_occupation OR toLower(a.title) = toLower(trim($from_occupation))
MATCH (b:Occupation)
WHERE b.code = $to_occupation OR toLower(b.title) = toLower(trim($to_occupation))
CALL (a, b) {
  MATCH (a)-[ra:REQUIRES_SKILL]->(e:Skill)<-[rb:REQUIRES_SKILL]-(b)
  WHERE rb.importance >= $min_importance
  RETURN 'skill' AS kind, e.name AS name, ra.level AS from_level, rb.level AS to_level,
         rb.importance AS importance, null AS hot
  UNION ALL
  MATCH (a)-[ra:REQUIRES_KNOWLEDGE]->(e:Knowledge)<-[rb:REQUIRES_KNOWLEDGE]-(b)
  WHERE rb.importance >= $min_importance
  RETURN 'knowledge' AS kind, e.name AS name, ra.level AS from_level, rb.level AS to_level,
         rb.importance AS importance, null AS hot
  UNION ALL
  MATCH (b)-[rb:USES_TECHNOLOGY]->(t:Technology)
  RETURN 'technology' AS kind, t.name AS name, null AS from_level, null AS to_level,
         null AS importance, rb.hot AS hot
}
WITH a, kind, name, from_level, to_level, importance, hot,
     (to_level - from_level) * importance / 5.0 AS gain
WITH kind, name, from_level, to_level, importance, hot, gain,
     CASE
       WHEN kind <> 'technology' THEN CASE WHEN to_level > from_level THEN 'gap' ELSE 'shared' END
       WHEN EXISTS { (a)-[:USES_TECHNOLOGY]->(:Technology {name: name}) } THEN 'shared'
       ELSE 'gap'
     END AS status
ORDER BY gain DESC, hot DESC, name
WITH kind, status, collect({name: name, from_level: from_level, to_level: to_level,
     importance: importance, gain: gain, hot: hot})[..toInteger($limit)] AS rows
UNWIND range(0, size(rows) - 1) AS position
WITH kind, status, position, rows[position] AS row
RETURN kind, status, row.name AS name, row.from_level AS from_level, row.to_level AS to_level,
       row.importance AS importance, round(row.gain, 3) AS gain, row.hot AS hot
ORDER BY CASE kind WHEN 'skill' THEN 0 WHEN 'knowledge' THEN 1 ELSE 2 END, status, position
