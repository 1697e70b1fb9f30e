// Upsert knowledge descriptors. $rows: list of {element_id, name, description}; $load_id: string.
UNWIND $rows AS row
MERGE (k:Knowledge {element_id: row.element_id})
SET k.name = row.name, k.description = row.description, k.load_id = $load_id
