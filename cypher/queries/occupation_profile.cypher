// Question: what does one occupation look like in the graph: its most important skills and
//   knowledge, hot technologies, interests and education levels? (a picture for Browser)
// Parameters: $occupation (string, O*NET-SOC code or occupation title, case ignored),
//   $top (int, elements shown per kind).
// Returns: link (path occupation -> element: Browser draws the star), kind ("skill" |
//   "knowledge" | "technology" | "interest" | "education"), name, value (float: importance IM
//   1-5 for skills and knowledge, 1.0 for a hot and in-demand technology and 0.0 for a hot one,
//   OI score 1-7 for interests, share_pct 0-100 for education).
// Example params: {"occupation": "Computer Systems Engineers/Architects", "top": 5}
MATCH (o:Occupation)
WHERE o.code = $occupation OR toLower(o.title) = toLower(trim($occupation))
CALL (o) {
  MATCH link = (o)-[r:REQUIRES_SKILL]->(e:Skill)
  WITH link, e, r ORDER BY r.importance DESC, e.name LIMIT toInteger($top)
  RETURN link, 'skill' AS kind, e.name AS name, r.importance AS value
  UNION ALL
  MATCH link = (o)-[r:REQUIRES_KNOWLEDGE]->(e:Knowledge)
  WITH link, e, r ORDER BY r.importance DESC, e.name LIMIT toInteger($top)
  RETURN link, 'knowledge' AS kind, e.name AS name, r.importance AS value
  UNION ALL
  MATCH link = (o)-[r:USES_TECHNOLOGY {hot: true}]->(e:Technology)
  WITH link, e, r ORDER BY r.in_demand DESC, e.name LIMIT toInteger($top)
  RETURN link, 'technology' AS kind, e.name AS name,
         CASE WHEN r.in_demand THEN 1.0 ELSE 0.0 END AS value
  UNION ALL
  MATCH link = (o)-[r:HAS_INTEREST]->(e:Interest)
  WITH link, e, r ORDER BY r.score DESC, e.name LIMIT toInteger($top)
  RETURN link, 'interest' AS kind, e.name AS name, r.score AS value
  UNION ALL
  MATCH link = (o)-[r:TYPICAL_EDUCATION]->(e:EducationLevel)
  WITH link, e, r ORDER BY r.share_pct DESC, e.category LIMIT toInteger($top)
  RETURN link, 'education' AS kind, e.name AS name, r.share_pct AS value
}
RETURN link, kind, name, value
ORDER BY CASE kind WHEN 'skill' THEN 0 WHEN 'knowledge' THEN 1 WHEN 'technology' THEN 2
  WHEN 'interest' THEN 3 ELSE 4 END, value DESC, name
