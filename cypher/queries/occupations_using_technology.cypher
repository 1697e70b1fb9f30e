// Question: which occupations use a technology, and where is it a hot or in-demand one?
// Parameters: $technology (string, part of the product name, case ignored: "Python" finds
//   "Python" and "IPython"), $limit (int, rows).
// Returns: uses (path Occupation -> Technology: Browser draws it), technology, code, title,
//   hot (bool, Hot Technology), in_demand (bool, In Demand), job_zone (int 1-5 or null).
// Example params: {"technology": "Python", "limit": 25}
MATCH uses = (o:Occupation)-[u:USES_TECHNOLOGY]->(t:Technology)
WHERE toLower(t.name) CONTAINS toLower(trim($technology))
RETURN uses, t.name AS technology, o.code AS code, o.title AS title, u.hot AS hot,
       u.in_demand AS in_demand, o.job_zone AS job_zone
ORDER BY in_demand DESC, hot DESC, technology, code
LIMIT toInteger($limit)
