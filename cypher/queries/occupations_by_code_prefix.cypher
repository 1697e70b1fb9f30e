// Question: which occupations have codes closest to this (possibly unknown) O*NET-SOC code?
// Parameters: $code (string, e.g. "15-1252.07"), $limit (int, at most this many rows).
// Returns: code, title, job_zone (int or null), common (int, length of the code prefix shared
//   with $code, at least 2 = same SOC major group); longest prefix first, then by code.
MATCH (o:Occupation)
WITH o, size([i IN range(1, size($code)) WHERE left(o.code, i) = left($code, i)]) AS common
WHERE common >= 2
RETURN o.code AS code, o.title AS title, o.job_zone AS job_zone, common
ORDER BY common DESC, code
LIMIT $limit
