// Question: what is this occupation, and what does it need (skills, knowledge, hot
//   technologies, education)? (GET /v1/occupations/{code})
// Parameters: $code (string, O*NET-SOC code), $limit (int, entries per skill/knowledge/technology list).
// Returns: code, title, description, job_zone (int or null);
//   skills, knowledge (lists of maps: element_id, name, kind ("skill"|"knowledge"),
//     importance (IM 1-5), level (LV 0-7), estimated_from (list of O*NET-SOC codes, empty for
//     O*NET's own rating), estimate_source (string or null); top $limit by importance desc,
//     level desc, element_id);
//   hot_technologies (list of maps: name, commodity_title, hot, in_demand; hot ones only,
//     in-demand first, then by name, top $limit), hot_technology_count (int),
//   technology_count (int), education (list of maps: category (RL 1-12), name,
//     share_pct (0-100); shares above 0, by category), labor_market (map of BLS figures, with
//     figures_for naming the BLS group when they are not the occupation's own:
//     median_wage_usd, growth_pct, bright_outlook, ... or null), estimates (map: title and the
//     skills_/knowledge_ estimated_from and estimate_source properties). No row if the code is
//     unknown.
MATCH (o:Occupation {code: $code})
CALL (o) {
  OPTIONAL MATCH (o)-[r:REQUIRES_SKILL]->(s:Skill)
  WITH s, r
  ORDER BY r.importance DESC, r.level DESC, s.element_id
  LIMIT $limit
  RETURN collect(CASE WHEN s IS NULL THEN null ELSE {element_id: s.element_id, name: s.name,
    kind: 'skill', importance: r.importance, level: r.level,
    estimated_from: coalesce(r.estimated_from, []), estimate_source: r.estimate_source} END)
    AS skills
}
CALL (o) {
  OPTIONAL MATCH (o)-[r:REQUIRES_KNOWLEDGE]->(k:Knowledge)
  WITH k, r
  ORDER BY r.importance DESC, r.level DESC, k.element_id
  LIMIT $limit
  RETURN collect(CASE WHEN k IS NULL THEN null ELSE {element_id: k.element_id, name: k.name,
    kind: 'knowledge', importance: r.importance, level: r.level,
    estimated_from: coalesce(r.estimated_from, []), estimate_source: r.estimate_source} END)
    AS knowledge
}
CALL (o) {
  OPTIONAL MATCH (o)-[r:USES_TECHNOLOGY]->(t:Technology)
  RETURN count(t) AS technology_count, count(CASE WHEN r.hot THEN t END) AS hot_technology_count
}
CALL (o) {
  OPTIONAL MATCH (o)-[r:USES_TECHNOLOGY {hot: true}]->(t:Technology)
  WITH t, r
  ORDER BY r.in_demand DESC, t.name
  LIMIT $limit
  RETURN collect(CASE WHEN t IS NULL THEN null ELSE {name: t.name,
    commodity_title: t.commodity_title, hot: r.hot, in_demand: r.in_demand} END) AS hot_technologies
}
CALL (o) {
  OPTIONAL MATCH (o)-[r:TYPICAL_EDUCATION]->(e:EducationLevel)
  WHERE r.share_pct > 0
  WITH e, r
  ORDER BY e.category
  RETURN collect(CASE WHEN e IS NULL THEN null ELSE {category: e.category, name: e.name,
    share_pct: r.share_pct} END) AS education
}
RETURN o.code AS code, o.title AS title, o.description AS description, o.job_zone AS job_zone,
       skills, knowledge, hot_technologies, hot_technology_count, technology_count, education,
       CASE WHEN o.bls_soc_code IS NULL THEN null ELSE o { .code, .bls_soc_code,
         .bls_is_aggregate, .bls_title, .figures_for, .median_wage_usd, .wage_p10_usd,
         .wage_p25_usd, .wage_p75_usd, .wage_p90_usd, .employment_2024_thousands,
         .employment_2034_thousands, .growth_pct, .annual_openings_thousands,
         .typical_entry_education, .typical_entry_education_rank, .related_work_experience,
         .on_the_job_training, .bright_outlook } END
         AS labor_market,
       o { .title, .skills_estimated_from, .skills_estimate_source, .knowledge_estimated_from,
           .knowledge_estimate_source } AS estimates
