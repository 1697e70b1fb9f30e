// Question: what is the education ladder of a career family: which occupations of the family
//   typically need which education level?
// Parameters: $code_prefix (string, start of the O*NET-SOC code that names the family: "15" a
//   major group, "15-12" a minor group, "15-125" a broad occupation), $limit (int, occupations).
// Returns: typical (path occupation -> its most reported EducationLevel: Browser draws the
//   ladder), rung (int, EducationLevel category 1-12), education (string), share_pct (float,
//   0-100, respondents reporting that level), bachelor_or_higher_pct (float, 0-100, categories
//   6-12 summed), code, title, job_zone (int 1-5 or null).
// Notes: O*NET Education, Training, and Experience, scale RL. Occupations without education
//   data (residual "All Other" and military codes, mostly) are left out.
// Example params: {"code_prefix": "15-12", "limit": 50}
MATCH (o:Occupation)-[r:TYPICAL_EDUCATION]->(e:EducationLevel)
WHERE o.code STARTS WITH $code_prefix
WITH o, r, e
ORDER BY r.share_pct DESC, e.category
WITH o, collect({r: r, e: e}) AS levels,
     sum(CASE WHEN e.category >= 6 THEN r.share_pct ELSE 0 END) AS bachelor_or_higher
WITH o, levels[0].r AS r, levels[0].e AS e, bachelor_or_higher
MATCH typical = (o)-[r]->(e)
RETURN typical, e.category AS rung, e.name AS education, r.share_pct AS share_pct,
       round(bachelor_or_higher, 1) AS bachelor_or_higher_pct, o.code AS code, o.title AS title,
       o.job_zone AS job_zone
ORDER BY rung, bachelor_or_higher_pct, code
LIMIT toInteger($limit)
