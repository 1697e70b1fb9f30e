// Question: which occupations does O*NET list as related to this one, and how closely?
// Parameters: $code (string, O*NET-SOC code).
// Returns: code, title, job_zone (int or null) of each related occupation, tier (string),
//   rank (int, O*NET Index 1-20), cost (float, cost points of the hop); by rank. No rows if
//   the code is unknown or has no related occupations.
MATCH (:Occupation {code: $code})-[r:RELATED_TO]->(b:Occupation)
RETURN b.code AS code, b.title AS title, b.job_zone AS job_zone, r.tier AS tier, r.rank AS rank,
       r.cost AS cost
ORDER BY rank, code
