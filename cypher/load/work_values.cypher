// Upsert work values (O*NET content model 1.B.2). $rows: list of {element_id, name,
// description}; $load_id: string.
UNWIND $rows AS row
MERGE (w:WorkValue {element_id: row.element_id})
SET w.name = row.name, w.description = row.description, w.load_id = $load_id
