// Question: which job titles look like this text? (full-text index "title_fulltext")
// Parameters: $search (string, Lucene query, e.g. "softwar~ enginer~"), $limit (int).
// Returns: title, code, occupation_title, source, score (Lucene relevance, higher is better).
CALL db.index.fulltext.queryNodes('title_fulltext', $search, {limit: $limit})
YIELD node, score
MATCH (node)-[r:TITLE_OF]->(o:Occupation)
RETURN node.name AS title, o.code AS code, o.title AS occupation_title, r.source AS source, score
ORDER BY score DESC, code
LIMIT $limit
