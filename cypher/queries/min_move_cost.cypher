// Question: what is the cheapest career move (LEADS_TO cost) in the graph?
// Parameters: none. Returns: min_cost (float, cost points, or null when there is no move).
MATCH ()-[r:LEADS_TO]->()
RETURN min(r.cost) AS min_cost
