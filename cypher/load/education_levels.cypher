// Upsert RL education categories. $rows: list of {category (1-12), name}; $load_id: string.
UNWIND $rows AS row
MERGE (e:EducationLevel {category: row.category})
SET e.name = row.name, e.load_id = $load_id
