// Mark occupations whose skill or knowledge ratings are estimates (graph/estimated_ratings.py).
// $rows: list of {code, skills_estimated_from, knowledge_estimated_from (lists of O*NET-SOC
// codes the values are taken from, or null), skills_estimate_source, knowledge_estimate_source
// (release and rule, or null)}; $load_id: string. Runs after occupations.cypher, which resets
// all properties.
UNWIND $rows AS row
MATCH (o:Occupation {code: row.code})
SET o += row { .skills_estimated_from, .skills_estimate_source, .knowledge_estimated_from,
               .knowledge_estimate_source }
