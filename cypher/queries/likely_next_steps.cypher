// Question: where are people who leave this occupation likely to work next, over every
//   occupation (not only the career moves routes take)? (GET /v1/occupations/{code}/next-steps)
// Parameters: $code (string, O*NET-SOC code), $limit (int >= 1, steps listed).
// Returns: rank (int, 1 = most likely), code, title, job_zone (int or null) of the next
//   occupation; probability (float 0-1: the move model's estimate, not an observed figure),
//   observed_share (float 0-1: CPS ASEC share of movers, or null), career_move (boolean: a
//   LEADS_TO move exists); by rank. No rows if the code is unknown or has no distribution.
// Notes: the list is stored on the node (next_step_codes, next_step_probabilities: every
//   occupation at least about 1 in 1,000 likely) by load/next_step_distributions.cypher.
// Example params: {"code": "15-1252.00", "limit": 10}
MATCH (a:Occupation {code: $code})
WITH a, coalesce(a.next_step_codes, []) AS codes
UNWIND range(0, size(codes) - 1) AS k
WITH a, codes, k
ORDER BY k
LIMIT toInteger($limit)
MATCH (b:Occupation {code: codes[k]})
OPTIONAL MATCH (a)-[seen:MOVED_TO]->(b)
RETURN k + 1 AS rank, b.code AS code, b.title AS title, b.job_zone AS job_zone,
       a.next_step_probabilities[k] AS probability, seen.share_of_movers AS observed_share,
       EXISTS { (a)-[:LEADS_TO]->(b) } AS career_move
ORDER BY rank
