// Upsert knowledge ratings. $rows: list of {code, element_id, importance (IM 1-5),
// level (LV 0-7)}; $load_id: string.
UNWIND $rows AS row
MATCH (o:Occupation {code: row.code})
MATCH (k:Knowledge {element_id: row.element_id})
MERGE (o)-[r:REQUIRES_KNOWLEDGE]->(k)
SET r.importance = row.importance, r.level = row.level, r.load_id = $load_id
