// Every occupation's likely next occupations (graph.model.NextStepDistribution: the move
// model's estimate, most likely first). $rows: list of {code, next_step_codes: [string],
// next_step_probabilities: [float]} (parallel lists); $load_id unused. Runs after
// load/occupations.cypher, which replaces the node's properties. Returns nothing.
UNWIND $rows AS row
MATCH (o:Occupation {code: row.code})
SET o += row { .next_step_codes, .next_step_probabilities }
