// Question: which occupations best fit a RIASEC interest profile?
// Parameters: $interests (list<string>, RIASEC names: "Realistic", "Investigative", "Artistic",
//   "Social", "Enterprising", "Conventional"), $min_score (float, OI 1-7: each named interest
//   must score at least this), $limit (int, occupations listed).
// Returns: code, title, job_zone (int 1-5 or null), fit (float, OI 1-7: mean score over the
//   named interests), scores (list<string>, "name score" per named interest).
// Example params: {"interests": ["Investigative", "Realistic"], "min_score": 4.5, "limit": 20}
MATCH (i:Interest)
WHERE i.name IN $interests
WITH collect(i) AS wanted
MATCH (o:Occupation)-[h:HAS_INTEREST]->(i:Interest)
WHERE i IN wanted
WITH o, wanted, collect(i.name + ' ' + toString(h.score)) AS scores, avg(h.score) AS fit,
     min(h.score) AS lowest, count(i) AS matched
WHERE matched = size(wanted) AND lowest >= $min_score
RETURN o.code AS code, o.title AS title, o.job_zone AS job_zone, round(fit, 2) AS fit, scores
ORDER BY fit DESC, code
LIMIT toInteger($limit)
