// Question: what does the role page need about one occupation beyond its profile: tasks,
//   interests, work styles, work values, education shares, the moves into it and how many
//   occupations share its BLS figures? (graph.store.RoleFacts)
// Parameters: $code (string, O*NET-SOC code).
// Returns: code; tasks (list of maps: task_id, statement, task_type, incumbents_responding,
//   position; by position); tasks_release (string or null); interests (OI 1-7), work_styles
//   (IM 1-5), work_values (EX 1-7) (lists of maps: element_id, name, description, value,
//   estimated_from (list, empty for O*NET's own values), estimate_source; by value desc,
//   element_id); education (the same maps, element_id = RL category as text, value = percent
//   of respondents; shares above 0, by category); title, job_zone (of the occupation);
//   observed (list of maps: source (map: code, title, job_zone, employment_2024_thousands,
//   bls_group_size), properties (the MOVED_TO
//   edge's); by share_of_movers desc, code); incoming (list of maps: code, title, job_zone,
//   relationship "LEADS_TO", kind, cost, reasons; by cost, code); bls_group_size (int:
//   occupations with the same bls_soc_code, or null). No row if the code is unknown.
MATCH (o:Occupation {code: $code})
CALL (o) {
  OPTIONAL MATCH (o)-[:HAS_TASK]->(t:Task)
  WITH t ORDER BY t.position
  RETURN collect(t {.task_id, .statement, .task_type, .incumbents_responding, .position})
           AS tasks, head(collect(t.release)) AS tasks_release
}
CALL (o) {
  OPTIONAL MATCH (o)-[r:HAS_INTEREST]->(i:Interest)
  WITH i, r ORDER BY r.score DESC, i.element_id
  RETURN collect(CASE WHEN i IS NULL THEN null ELSE {element_id: i.element_id, name: i.name,
    description: i.description, value: r.score,
    estimated_from: coalesce(r.estimated_from, []), estimate_source: r.estimate_source} END)
    AS interests
}
CALL (o) {
  OPTIONAL MATCH (o)-[r:HAS_WORK_STYLE]->(w:WorkStyle)
  WITH w, r ORDER BY r.importance DESC, w.element_id
  RETURN collect(CASE WHEN w IS NULL THEN null ELSE {element_id: w.element_id, name: w.name,
    description: w.description, value: r.importance,
    estimated_from: coalesce(r.estimated_from, []), estimate_source: r.estimate_source} END)
    AS work_styles
}
CALL (o) {
  OPTIONAL MATCH (o)-[r:HAS_WORK_VALUE]->(w:WorkValue)
  WITH w, r ORDER BY r.extent DESC, w.element_id
  RETURN collect(CASE WHEN w IS NULL THEN null ELSE {element_id: w.element_id, name: w.name,
    description: w.description, value: r.extent,
    estimated_from: coalesce(r.estimated_from, []), estimate_source: r.estimate_source} END)
    AS work_values
}
CALL (o) {
  OPTIONAL MATCH (o)-[r:TYPICAL_EDUCATION]->(e:EducationLevel)
  WHERE r.share_pct > 0
  WITH e, r ORDER BY e.category
  RETURN collect(CASE WHEN e IS NULL THEN null ELSE {element_id: toString(e.category),
    name: e.name, description: '', value: r.share_pct,
    estimated_from: coalesce(r.estimated_from, []), estimate_source: r.estimate_source} END)
    AS education
}
CALL (o) {
  OPTIONAL MATCH (p:Occupation)-[m:MOVED_TO]->(o)
  WITH p, m ORDER BY m.share_of_movers DESC, p.code
  RETURN collect(CASE WHEN p IS NULL THEN null ELSE {source: p {.code, .title, .job_zone,
    .employment_2024_thousands, bls_group_size: CASE WHEN p.bls_soc_code IS NULL THEN null
      ELSE COUNT { MATCH (x:Occupation {bls_soc_code: p.bls_soc_code}) } END},
    properties: properties(m)} END) AS observed
}
CALL (o) {
  OPTIONAL MATCH (p:Occupation)-[m:LEADS_TO]->(o)
  WITH p, m ORDER BY m.cost, p.code
  RETURN collect(CASE WHEN p IS NULL THEN null ELSE {code: p.code, title: p.title,
    job_zone: p.job_zone, relationship: 'LEADS_TO', kind: m.kind, cost: m.cost,
    reasons: m.reasons} END) AS incoming
}
RETURN o.code AS code, o.title AS title, o.job_zone AS job_zone, tasks, tasks_release,
       interests, work_styles, work_values, education, observed, incoming,
       CASE WHEN o.bls_soc_code IS NULL THEN null
            ELSE COUNT { MATCH (x:Occupation {bls_soc_code: o.bls_soc_code}) } END
         AS bls_group_size
