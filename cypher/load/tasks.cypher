// Upsert task statements and their HAS_TASK edges. $rows: list of {code, task_id (int),
// statement, task_type ("Core"|"Supplemental"|null), incumbents_responding (int or null),
// position (int, 1 = the occupation's first task in the file), release (string, the Task
// Statements release, e.g. "30.1")}; $load_id: string.
UNWIND $rows AS row
MATCH (o:Occupation {code: row.code})
MERGE (t:Task {task_id: row.task_id})
SET t.statement = row.statement, t.task_type = row.task_type,
    t.incumbents_responding = row.incumbents_responding, t.position = row.position,
    t.release = row.release, t.load_id = $load_id
MERGE (o)-[r:HAS_TASK]->(t)
SET r.load_id = $load_id
