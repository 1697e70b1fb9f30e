// Upsert skill ratings. $rows: list of {code, element_id, importance (IM 1-5), level (LV 0-7)};
// $load_id: string.
UNWIND $rows AS row
MATCH (o:Occupation {code: row.code})
MATCH (s:Skill {element_id: row.element_id})
MERGE (o)-[r:REQUIRES_SKILL]->(s)
SET r.importance = row.importance, r.level = row.level, r.load_id = $load_id
