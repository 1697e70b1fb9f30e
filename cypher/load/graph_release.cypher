// Record which O*NET release the graph holds. $release: string ("29.3"); $load_id: string;
// $loaded_at: ISO-8601 datetime string; $table_rows: string, JSON object of data rows per
// source table (read back by the next load to refuse a release that lost rows).
MERGE (g:GraphRelease {key: 'onet'})
SET g.release = $release, g.loaded_at = datetime($loaded_at), g.load_id = $load_id,
    g.table_rows = $table_rows
