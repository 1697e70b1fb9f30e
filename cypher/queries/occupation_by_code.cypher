// Question: what is the occupation with this O*NET-SOC code?
// Parameters: $code (string, e.g. "15-1252.00").
// Returns: code, title, description, job_zone (int or null).
MATCH (o:Occupation {code: $code})
RETURN o.code AS code, o.title AS title, o.description AS description, o.job_zone AS job_zone
