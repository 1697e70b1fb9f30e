// Upsert skill descriptors. $rows: list of {element_id, name, description}; $load_id: string.
UNWIND $rows AS row
MERGE (s:Skill {element_id: row.element_id})
SET s.name = row.name, s.description = row.description, s.load_id = $load_id
