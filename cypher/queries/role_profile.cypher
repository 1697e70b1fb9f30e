// Question: what is this role like: what do its people do, who thrives in it, what does it
//   need and pay, and where does it lead? (the role page of `careergraph show`, in Browser)
// Parameters: $role (string, O*NET-SOC code or job title, read as in routes_between_roles:
//   stored lookup keys resolved by graph/titles.py at load), $top (int, elements per kind).
// Returns: one row per element, link (path occupation -> element: Browser draws the star),
//   section ("task" | "interest" | "work style" | "work value" | "skill" | "knowledge" |
//   "education" | "leads to" | "comes from"), name, value (float: task position, OI 1-7, IM 1-5,
//   EX 1-7, IM 1-5, IM 1-5, percent of respondents, LEADS_TO cost, MOVED_TO share of the
//   source's movers 0-1), estimated (bool: the value is estimated from other occupations, see
//   estimated_from on the edge; for MOVED_TO: split over SOC codes by employment); "comes
//   from" ranks the observed moves (CPS ASEC) into the role by share of movers x the source's
//   BLS 2024 employment split over the occupations sharing its BLS figures, as the role page;
//   and on every row the occupation's code, title, median_wage_usd, wage_p10_usd,
//   wage_p90_usd, growth_pct (2024-34), employment_2024_thousands, typical_entry_education
//   (BLS; group figures when bls_is_aggregate or shared by several occupations).
// Example params: {"role": "Software Systems Engineer", "top": 5}
CALL () {
  WITH trim($role) AS role
  WITH role, [w IN split(reduce(s = '', c IN split(toLower(role), '') |
    s + CASE WHEN c IN split('0123456789abcdefghijklmnopqrstuvwxyz+\u0023', '') THEN c
                 ELSE ' ' END),
    ' ') WHERE w <> ''] AS words
  WITH role, reduce(k = '', w IN words | k + CASE k WHEN '' THEN '' ELSE ' ' END + w) AS key
  CALL (role, key) {
    MATCH (o:Occupation {code: role})
    RETURN 0 AS stage, o.code AS code
    UNION
    MATCH (t:Title)
    WHERE key IN t.lookup_keys
    WITH t LIMIT 1
    RETURN 1 AS stage,
           [i IN range(0, size(t.lookup_keys) - 1) WHERE t.lookup_keys[i] = key |
            t.lookup_codes[i]][0] AS code
  }
  WITH stage, code WHERE code IS NOT NULL
  RETURN code ORDER BY stage LIMIT 1
}
MATCH (o:Occupation {code: code})
CALL (o) {
  MATCH link = (o)-[:HAS_TASK]->(e:Task)
  WITH link, e ORDER BY e.task_type <> 'Core', e.position LIMIT toInteger($top)
  RETURN link, 'task' AS section, e.statement AS name, toFloat(e.position) AS value,
         false AS estimated
  UNION ALL
  MATCH link = (o)-[r:HAS_INTEREST]->(e:Interest)
  WITH link, e, r ORDER BY r.score DESC, e.element_id LIMIT 3
  RETURN link, 'interest' AS section, e.name AS name, r.score AS value,
         r.estimated_from IS NOT NULL AS estimated
  UNION ALL
  MATCH link = (o)-[r:HAS_WORK_STYLE]->(e:WorkStyle)
  WITH link, e, r ORDER BY r.importance DESC, e.element_id LIMIT toInteger($top)
  RETURN link, 'work style' AS section, e.name AS name, r.importance AS value,
         r.estimated_from IS NOT NULL AS estimated
  UNION ALL
  MATCH link = (o)-[r:HAS_WORK_VALUE]->(e:WorkValue)
  WITH link, e, r ORDER BY r.extent DESC, e.element_id LIMIT 3
  RETURN link, 'work value' AS section, e.name AS name, r.extent AS value,
         r.estimated_from IS NOT NULL AS estimated
  UNION ALL
  MATCH link = (o)-[r:REQUIRES_SKILL]->(e:Skill)
  WITH link, e, r ORDER BY r.importance DESC, r.level DESC, e.element_id LIMIT toInteger($top)
  RETURN link, 'skill' AS section, e.name AS name, r.importance AS value,
         r.estimated_from IS NOT NULL AS estimated
  UNION ALL
  MATCH link = (o)-[r:REQUIRES_KNOWLEDGE]->(e:Knowledge)
  WITH link, e, r ORDER BY r.importance DESC, r.level DESC, e.element_id LIMIT toInteger($top)
  RETURN link, 'knowledge' AS section, e.name AS name, r.importance AS value,
         r.estimated_from IS NOT NULL AS estimated
  UNION ALL
  MATCH link = (o)-[r:TYPICAL_EDUCATION]->(e:EducationLevel)
  WITH link, e, r ORDER BY r.share_pct DESC, e.category LIMIT 3
  RETURN link, 'education' AS section, e.name AS name, r.share_pct AS value,
         r.estimated_from IS NOT NULL AS estimated
  UNION ALL
  MATCH link = (o)-[r:LEADS_TO]->(e:Occupation)
  WITH link, e, r ORDER BY r.cost, e.code LIMIT toInteger($top)
  RETURN link, 'leads to' AS section, e.title AS name, r.cost AS value, false AS estimated
  UNION ALL
  MATCH link = (e:Occupation)-[r:MOVED_TO]->(o)
  WITH link, e, r, COUNT { MATCH (x:Occupation {bls_soc_code: e.bls_soc_code}) } AS group_size
  WITH link, e, r, r.share_of_movers * (coalesce(e.employment_2024_thousands, 0.0)
                   / CASE WHEN group_size > 0 THEN group_size ELSE 1 END) AS flow
  ORDER BY flow DESC, e.code LIMIT toInteger($top)
  RETURN link, 'comes from' AS section, e.title AS name, r.share_of_movers AS value,
         r.estimated AS estimated
}
RETURN link, section, name, value, estimated, o.code AS code, o.title AS title,
       o.median_wage_usd AS median_wage_usd, o.wage_p10_usd AS wage_p10_usd,
       o.wage_p90_usd AS wage_p90_usd, o.growth_pct AS growth_pct,
       o.employment_2024_thousands AS employment_2024_thousands,
       o.typical_entry_education AS typical_entry_education
