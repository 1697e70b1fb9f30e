// Question: how many relationships of each type does the graph hold?
// Parameters: none. Returns: type (string), count (int).
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type
