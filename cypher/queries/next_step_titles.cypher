// Question: by which job titles are the occupations one career move (LEADS_TO) away known?
// Parameters: $code (string, O*NET-SOC code of the occupation the moves start from).
// Returns: code (string, the next occupation), name (string, one of its titles), source
//   ("occupation" | "alternate" | "reported"), cost (float, cost points of the move); by code,
//   name, source. No rows if the code is unknown or has no moves.
// Example params: {"code": "15-1252.00"}
MATCH (:Occupation {code: $code})-[m:LEADS_TO]->(o:Occupation)<-[r:TITLE_OF]-(t:Title)
RETURN o.code AS code, t.name AS name, r.source AS source, m.cost AS cost
ORDER BY code, name, source
