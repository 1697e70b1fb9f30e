// Upsert work styles (O*NET content model 1.C). $rows: list of {element_id, name,
// description}; $load_id: string.
UNWIND $rows AS row
MERGE (w:WorkStyle {element_id: row.element_id})
SET w.name = row.name, w.description = row.description, w.load_id = $load_id
