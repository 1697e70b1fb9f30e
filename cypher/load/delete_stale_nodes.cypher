// Delete nodes a load did not touch (left over from an earlier release).
// $load_id: string tag of the current load.
MATCH (n)
WHERE n.load_id IS NULL OR n.load_id <> $load_id
DETACH DELETE n
