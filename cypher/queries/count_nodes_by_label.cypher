// Question: how many nodes of each label does the graph hold (metadata node excluded)?
// Parameters: none. Returns: label (string), count (int).
MATCH (n)
WHERE NOT n:GraphRelease
UNWIND labels(n) AS label
RETURN label, count(*) AS count
ORDER BY label
