// Question: which job titles match this text, and which occupations do they name?
//   (full-text index title_fulltext on Title.name, for searching roles by name in Browser)
// Parameters: $search (string, Lucene syntax: "data scientist", "softwre~ enginer~" (fuzzy),
//   "data scien*" (prefix), "\"nurse practitioner\"" (phrase)), $limit (int, titles).
// Returns: title_of (path Title -> Occupation: Browser draws it), title, score (float, Lucene
//   relevance, higher is better), source ("occupation" | "alternate" | "reported"), code,
//   occupation_title.
// Example params: {"search": "softwre~ enginer~", "limit": 10}
CALL db.index.fulltext.queryNodes('title_fulltext', $search, {limit: toInteger($limit)})
YIELD node, score
MATCH title_of = (node)-[r:TITLE_OF]->(o:Occupation)
RETURN title_of, node.name AS title, score, r.source AS source, o.code AS code,
       o.title AS occupation_title
ORDER BY score DESC, title, code
