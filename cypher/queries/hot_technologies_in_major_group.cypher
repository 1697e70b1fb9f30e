// Question: which hot technologies are used most across one SOC major group?
// Parameters: $soc_major_group (string, two digits, e.g. "15" Computer and Mathematical),
//   $limit (int, technologies listed).
// Returns: technology (string), commodity_title (string, UNSPSC), occupations (int, occupations
//   of the group that mark it a Hot Technology), in_demand (int, of those, In Demand too),
//   share_pct (float, 0-100, of the group's occupations), example_occupations (list<string>,
//   up to 5 titles).
// Example params: {"soc_major_group": "15", "limit": 20}
MATCH (o:Occupation {soc_major_group: $soc_major_group})
WITH collect(o) AS members
UNWIND members AS o
MATCH (o)-[u:USES_TECHNOLOGY {hot: true}]->(t:Technology)
WITH t, size(members) AS group_size, count(o) AS occupations,
     sum(CASE WHEN u.in_demand THEN 1 ELSE 0 END) AS in_demand, collect(o.title) AS titles
RETURN t.name AS technology, t.commodity_title AS commodity_title, occupations, in_demand,
       round(100.0 * occupations / group_size, 1) AS share_pct, titles[..5] AS example_occupations
ORDER BY occupations DESC, in_demand DESC, technology
LIMIT toInteger($limit)
