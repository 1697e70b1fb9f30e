// Upsert occupational interest scores. $rows: list of {code, element_id, score (OI 1-7)};
// $load_id: string.
UNWIND $rows AS row
MATCH (o:Occupation {code: row.code})
MATCH (i:Interest {element_id: row.element_id})
MERGE (o)-[r:HAS_INTEREST]->(i)
SET r.score = row.score, r.load_id = $load_id
