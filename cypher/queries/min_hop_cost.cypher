// Question: what is the cheapest hop of one relationship type (LEADS_TO or RELATED_TO) in the graph?
// Parameters: $relationship (string, LEADS_TO or RELATED_TO).
// Returns: min_cost (float, cost points, or null when there is no such relationship).
MATCH ()-[r:LEADS_TO|RELATED_TO]->()
WHERE type(r) = $relationship
RETURN min(r.cost) AS min_cost
