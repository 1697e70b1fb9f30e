// Question: which occupations carry this job title (case, punctuation and plurals ignored)?
// Parameters: $name_key (string, graph.titles.normalize_title of the title).
// Returns: title, code, occupation_title, source ("occupation"|"alternate"|"reported"),
//   employment_thousands (BLS 2024 employment of the occupation, or null).
MATCH (t:Title {name_key: $name_key})-[r:TITLE_OF]->(o:Occupation)
RETURN t.name AS title, o.code AS code, o.title AS occupation_title, r.source AS source,
       o.employment_2024_thousands AS employment_thousands
ORDER BY code, source, title
