// Attach BLS figures to occupations. $rows: list of {code, bls_soc_code, bls_is_aggregate,
// bls_title, figures_for (BLS group "15-1299 Computer occupations, all other" when the figures
// are not the occupation's own, else null), median_wage_usd, wage_p10_usd, wage_p25_usd,
// wage_p75_usd, wage_p90_usd (USD/year), employment_2024_thousands, employment_2034_thousands,
// growth_pct, annual_openings_thousands, typical_entry_education, typical_entry_education_rank
// (1-8), related_work_experience, on_the_job_training, bright_outlook}; $load_id: string.
// Sources: BLS EP 2024-34, OEWS May 2024.
UNWIND $rows AS row
MATCH (o:Occupation {code: row.code})
SET o += row { .bls_soc_code, .bls_is_aggregate, .bls_title, .figures_for, .median_wage_usd,
               .wage_p10_usd, .wage_p25_usd, .wage_p75_usd, .wage_p90_usd,
               .employment_2024_thousands, .employment_2034_thousands, .growth_pct,
               .annual_openings_thousands, .typical_entry_education,
               .typical_entry_education_rank, .related_work_experience, .on_the_job_training,
               .bright_outlook }
