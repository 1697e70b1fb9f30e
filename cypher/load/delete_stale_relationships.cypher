// Delete relationships a load did not touch (left over from an earlier release).
// $load_id: string tag of the current load.
MATCH ()-[r]->()
WHERE r.load_id IS NULL OR r.load_id <> $load_id
DELETE r
