// Upsert education shares. $rows: list of {code, category (1-12), share_pct (0-100)};
// $load_id: string.
UNWIND $rows AS row
MATCH (o:Occupation {code: row.code})
MATCH (e:EducationLevel {category: row.category})
MERGE (o)-[r:TYPICAL_EDUCATION]->(e)
SET r.share_pct = row.share_pct, r.load_id = $load_id
