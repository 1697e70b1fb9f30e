// Question: which O*NET release does the graph hold, and since when?
// Parameters: none. Returns: release (string), loaded_at (datetime).
MATCH (g:GraphRelease {key: 'onet'})
RETURN g.release AS release, g.loaded_at AS loaded_at
