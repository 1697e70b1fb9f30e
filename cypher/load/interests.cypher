// Upsert RIASEC interests. $rows: list of {element_id, name, description}; $load_id: string.
UNWIND $rows AS row
MERGE (i:Interest {element_id: row.element_id})
SET i.name = row.name, i.description = row.description, i.load_id = $load_id
