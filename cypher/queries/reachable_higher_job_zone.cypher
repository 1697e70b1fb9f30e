// Question: which occupations can be reached within n related-occupation hops and sit in a
//   higher job zone (more preparation, as a rule more pay)?
// Parameters: $occupation (string, O*NET-SOC code or occupation title, case ignored),
//   $max_hops (int, 1-3), $min_job_zone_gain (int, 1-4, job zones above the start),
//   $limit (int, occupations listed).
// Returns: route (path, the cheapest route to the occupation: Browser draws it), code, title,
//   job_zone (int 1-5), job_zone_change (int), hops (int), cost (float, cost points).
// Notes: wages and growth arrive with the BLS data in a later issue, job zone stands in until
//   then. Routes are loop-free, the pattern is bounded at 3 hops.
// Example params: {"occupation": "Computer User Support Specialists", "max_hops": 2,
//   "min_job_zone_gain": 1, "limit": 25}
MATCH (a:Occupation)
WHERE a.code = $occupation OR toLower(a.title) = toLower(trim($occupation))
MATCH route = (a)-[:RELATED_TO*1..3]->(b:Occupation)
WHERE length(route) <= $max_hops
  AND b.job_zone >= a.job_zone + $min_job_zone_gain
  AND all(i IN range(0, length(route) - 1) WHERE NOT nodes(route)[i] IN nodes(route)[i + 1..])
WITH a, b, route, reduce(total = 0.0, r IN relationships(route) | total + r.cost) AS cost
ORDER BY cost, length(route)
WITH a, b, collect(route)[0] AS route, min(cost) AS cost
RETURN route, b.code AS code, b.title AS title, b.job_zone AS job_zone,
       b.job_zone - a.job_zone AS job_zone_change, length(route) AS hops, cost
ORDER BY cost, code
LIMIT toInteger($limit)
