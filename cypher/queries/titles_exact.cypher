// Question: which occupations carry this job title (case, punctuation and plurals ignored)?
// Parameters: $name_key (string, graph.titles.normalize_title of the title), matched against
//   each title's name_key, alias_key (without its parenthesised part) and abbrev_key (that part).
// Returns: title, code, occupation_title, source ("occupation"|"alternate"|"reported"),
//   employment_thousands (BLS 2024 employment of the occupation, or null).
CALL () {
  MATCH (t:Title {name_key: $name_key}) RETURN t
  UNION
  MATCH (t:Title {alias_key: $name_key}) RETURN t
  UNION
  MATCH (t:Title {abbrev_key: $name_key}) RETURN t
}
MATCH (t)-[r:TITLE_OF]->(o:Occupation)
RETURN t.name AS title, o.code AS code, o.title AS occupation_title, r.source AS source,
       o.employment_2024_thousands AS employment_thousands
ORDER BY code, source, title
