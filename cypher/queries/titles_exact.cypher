// Question: which occupations carry exactly this job title (ignoring case)?
// Parameters: $name_lower (string, the title in lower case).
// Returns: title, code, occupation_title, source ("occupation"|"alternate"|"reported").
MATCH (t:Title {name_lower: $name_lower})-[r:TITLE_OF]->(o:Occupation)
RETURN t.name AS title, o.code AS code, o.title AS occupation_title, r.source AS source
ORDER BY code, source
