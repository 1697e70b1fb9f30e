// Upsert knowledge ratings. $rows: list of {code, element_id, importance (IM 1-5), level
// (LV 0-7), estimated_from (list of O*NET-SOC codes the value is taken from, null for the
// occupation's own rating), estimate_source (string or null)}; $load_id: string.
UNWIND $rows AS row
MATCH (o:Occupation {code: row.code})
MATCH (k:Knowledge {element_id: row.element_id})
MERGE (o)-[r:REQUIRES_KNOWLEDGE]->(k)
SET r.importance = row.importance, r.level = row.level, r.load_id = $load_id,
    r.estimated_from = row.estimated_from, r.estimate_source = row.estimate_source
