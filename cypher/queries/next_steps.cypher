// Question: where can someone in this occupation go next, closest first?
// Parameters: $occupation (string, O*NET-SOC code or occupation title, case ignored),
//   $limit (int, 1-20, steps listed).
// Returns: step (path of one RELATED_TO hop: Browser draws it), tier ("Primary-Short" |
//   "Primary-Long" | "Supplemental"), rank (int, O*NET Index 1-20), cost (float, cost points),
//   code, title, job_zone (int 1-5 or null), job_zone_change (int, to minus from, or null).
// Notes: O*NET's Related Occupations (similar work), ranked by O*NET's own order: tier, then
//   rank. Observed "leads to" moves are not in O*NET 29.3 and will come from another source.
// Example params: {"occupation": "Software Developers", "limit": 10}
MATCH (a:Occupation)
WHERE a.code = $occupation OR toLower(a.title) = toLower(trim($occupation))
MATCH step = (a)-[r:RELATED_TO]->(b:Occupation)
RETURN step, r.tier AS tier, r.rank AS rank, r.cost AS cost, b.code AS code, b.title AS title,
       b.job_zone AS job_zone, b.job_zone - a.job_zone AS job_zone_change
ORDER BY CASE r.tier WHEN 'Primary-Short' THEN 0 WHEN 'Primary-Long' THEN 1 ELSE 2 END, rank, code
LIMIT toInteger($limit)
