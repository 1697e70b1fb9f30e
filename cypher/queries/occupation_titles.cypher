// Question: which job titles name these occupations (occupation, alternate and reported titles)?
// Parameters: $codes (list of strings, O*NET-SOC codes).
// Returns: code (string), name (string, the title), source ("occupation" | "alternate" |
//   "reported"); by code, name, source. Unknown codes give no rows.
// Example params: {"codes": ["11-3021.00"]}
MATCH (t:Title)-[r:TITLE_OF]->(o:Occupation)
WHERE o.code IN $codes
RETURN o.code AS code, t.name AS name, r.source AS source
ORDER BY code, name, source
