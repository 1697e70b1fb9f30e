"""Labor-market records from the U.S. Bureau of Labor Statistics (BLS), joined to O*NET.

Two BLS sources feed these records (public domain; credit: "Source: U.S. Bureau of Labor
Statistics, Employment Projections program and Occupational Employment and Wage Statistics
(May 2024)"):

* Employment Projections (EP) 2024-34, workbook ``occupation.xlsx``, sheet ``Table 1.2``
  "Occupational projections, 2024-34, and worker characteristics, 2024"
  -> :class:`OccupationOutlook`. Employment is in thousands of jobs.
* Occupational Employment and Wage Statistics (OEWS) May 2024, national cross-industry
  estimates, workbook ``national_M2024_dl.xlsx`` -> :class:`OccupationWages`. Wages are
  annual, in US dollars.

Both are keyed by a SOC 2018 code (``15-1252``). :class:`OnetLaborMarket` carries the
figures that apply to one O*NET-SOC occupation (``15-1252.00``); ``loaders/bls.py`` builds
it and documents the join. This module imports only the standard library and pydantic.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from careergraph.graph.model import ONET_SOC_CODE_PATTERN, Record

SOC_CODE_PATTERN = r"^\d{2}-\d{4}$"
"""A SOC 2018 / National Employment Matrix code such as ``15-1252``."""

PROJECTION_BASE_YEAR = 2024
PROJECTION_TARGET_YEAR = 2034
PROJECTION_YEARS = PROJECTION_TARGET_YEAR - PROJECTION_BASE_YEAR
"""Length of the EP projection period in years (2024-34: 10)."""

TOP_CODED_ANNUAL_WAGE_USD = 239_200.0
"""Top of the published OEWS May 2024 wage range. A wage shown as ``#`` (OEWS) or
``>=$239,200`` (EP Table 1.2) is at least this much; such fields hold this value and
their ``*_top_coded`` flag is True (the true wage is unknown but not lower)."""


class _RankedEnum(StrEnum):
    """A StrEnum whose members are declared from lowest to highest."""

    @property
    def rank(self) -> int:
        """1-based position in the declared order (1 = lowest)."""
        return list(type(self)).index(self) + 1


class EntryEducation(_RankedEnum):
    """BLS "Typical education needed for entry" (EP Table 1.2), lowest first.

    The eight BLS education categories; ``rank`` orders them 1 (no formal credential) to
    8 (doctoral or professional degree) as BLS lists them.
    """

    NO_FORMAL_CREDENTIAL = "No formal educational credential"
    HIGH_SCHOOL = "High school diploma or equivalent"
    SOME_COLLEGE = "Some college, no degree"
    POSTSECONDARY_NONDEGREE = "Postsecondary nondegree award"
    ASSOCIATE = "Associate's degree"
    BACHELOR = "Bachelor's degree"
    MASTER = "Master's degree"
    DOCTORAL_OR_PROFESSIONAL = "Doctoral or professional degree"


class WorkExperience(_RankedEnum):
    """BLS "Work experience in a related occupation" (EP Table 1.2), least first."""

    NONE = "None"
    LESS_THAN_5_YEARS = "Less than 5 years"
    FIVE_YEARS_OR_MORE = "5 years or more"


class OnTheJobTraining(_RankedEnum):
    """BLS "Typical on-the-job training needed to attain competency" (EP Table 1.2).

    Declared in the order BLS lists the categories, from none to the longest.
    """

    NONE = "None"
    SHORT_TERM = "Short-term on-the-job training"
    MODERATE_TERM = "Moderate-term on-the-job training"
    LONG_TERM = "Long-term on-the-job training"
    APPRENTICESHIP = "Apprenticeship"
    INTERNSHIP_RESIDENCY = "Internship/residency"


class BrightOutlookReason(StrEnum):
    """Which O*NET Bright Outlook criterion an occupation meets.

    Values follow the category names of O*NET Web Services ("Grow Rapidly" is confirmed
    by its reference; "Numerous Job Openings" is unverified, see docs/data-sources.md).
    The rule and its thresholds are in ``loaders/bls.py`` and ``docs/data-sources.md``.
    """

    GROW_RAPIDLY = "Grow Rapidly"
    NUMEROUS_JOB_OPENINGS = "Numerous Job Openings"


class SocFigures(Record):
    """Common fields of BLS figures published for one SOC code.

    ``soc_code`` is the SOC code the record describes; ``source_soc_code`` the code BLS
    published the figures under. They differ only when the record was attached to an
    O*NET occupation that BLS reports inside an aggregate (``is_aggregate`` True): e.g.
    ``soc_code`` 13-1021 with the figures of ``source_soc_code`` 13-1020 "Buyers and
    purchasing agents". ``title`` is always the BLS title of ``source_soc_code``.
    """

    soc_code: str = Field(pattern=SOC_CODE_PATTERN)
    title: str
    is_aggregate: bool = False
    source_soc_code: str = Field(pattern=SOC_CODE_PATTERN)


class OccupationOutlook(SocFigures):
    """Employment projection and worker characteristics of one occupation.

    Source: BLS Employment Projections 2024-34, ``occupation.xlsx`` sheet ``Table 1.2``,
    rows with ``Occupation type`` = ``Line item`` (the 832 detailed occupations of the
    2024 National Employment Matrix). Column per field:

    * ``employment_2024_thousands`` / ``employment_2034_thousands``: ``Employment, 2024``
      / ``Employment, 2034`` (thousands of jobs, one decimal);
    * ``employment_change_thousands``: ``Employment change, numeric, 2024-34``;
    * ``growth_pct``: ``Employment change, percent, 2024-34`` (percent over the 10 years);
    * ``annual_openings_thousands``: ``Occupational openings, 2024-34 annual average``
      (thousands per year, from growth and replacement);
    * ``self_employed_pct``: ``Percent self employed, 2024`` (None where BLS shows —);
    * ``median_wage_usd``: ``Median annual wage, dollars, 2024[1]`` (OEWS May 2024 via EP;
      None where BLS shows —, i.e. hourly-only occupations and 45-3031);
    * ``typical_entry_education``, ``related_work_experience``, ``on_the_job_training``:
      the three BLS education and training assignment columns.
    """

    employment_2024_thousands: float = Field(ge=0)
    employment_2034_thousands: float = Field(ge=0)
    employment_change_thousands: float
    growth_pct: float = Field(ge=-100)
    annual_openings_thousands: float = Field(ge=0)
    self_employed_pct: float | None = Field(default=None, ge=0, le=100)
    median_wage_usd: float | None = Field(default=None, ge=0)
    median_wage_top_coded: bool = False
    typical_entry_education: EntryEducation
    related_work_experience: WorkExperience
    on_the_job_training: OnTheJobTraining

    @property
    def openings_over_period_thousands(self) -> float:
        """Projected job openings over the whole 2024-34 period, in thousands
        (annual average x 10 years)."""
        return self.annual_openings_thousands * PROJECTION_YEARS


class OccupationWages(SocFigures):
    """OEWS May 2024 national employment and annual wage distribution of one occupation.

    Source: BLS OEWS, ``national_M2024_dl.xlsx`` (first sheet), rows with ``O_GROUP`` =
    ``detailed`` (831 occupations; national, cross-industry, all ownerships). Column per
    field: ``employment`` = ``TOT_EMP`` (jobs, a count, not thousands; None for ``**``);
    ``wage_p10_usd`` ... ``wage_p90_usd`` = ``A_PCT10``, ``A_PCT25``, ``A_MEDIAN``,
    ``A_PCT75``, ``A_PCT90``; ``mean_wage_usd`` = ``A_MEAN``. All wages are annual US
    dollars. ``*`` (estimate not available: occupations published with hourly wages only)
    -> None. ``#`` (at or above the top of the range) -> :data:`TOP_CODED_ANNUAL_WAGE_USD`
    with the matching ``*_top_coded`` flag set.
    """

    employment: int | None = Field(default=None, ge=0)
    wage_p10_usd: float | None = Field(default=None, ge=0)
    wage_p25_usd: float | None = Field(default=None, ge=0)
    median_wage_usd: float | None = Field(default=None, ge=0)
    wage_p75_usd: float | None = Field(default=None, ge=0)
    wage_p90_usd: float | None = Field(default=None, ge=0)
    mean_wage_usd: float | None = Field(default=None, ge=0)
    wage_p10_top_coded: bool = False
    wage_p25_top_coded: bool = False
    median_wage_top_coded: bool = False
    wage_p75_top_coded: bool = False
    wage_p90_top_coded: bool = False
    mean_wage_top_coded: bool = False


class OnetLaborMarket(Record):
    """The BLS figures that apply to one O*NET-SOC occupation.

    ``soc_code`` is the SOC 2018 code of the occupation (first 7 characters of
    ``onet_code``). ``outlook`` / ``wages`` are None when BLS publishes nothing for it
    (military 55-xxxx; no OEWS wages for 45-3031). For O*NET-only specialties
    (``.01``, ``.02`` ...) they are the parent SOC code's figures; for the 28 codes BLS
    reports only inside an aggregate they are the aggregate's figures, marked
    ``is_aggregate``. ``bright_outlook`` is None without projections, else True exactly
    when ``bright_outlook_reasons`` is non-empty.
    """

    onet_code: str = Field(pattern=ONET_SOC_CODE_PATTERN)
    soc_code: str = Field(pattern=SOC_CODE_PATTERN)
    outlook: OccupationOutlook | None = None
    wages: OccupationWages | None = None
    bright_outlook: bool | None = None
    bright_outlook_reasons: tuple[BrightOutlookReason, ...] = ()

    @model_validator(mode="after")
    def _check_bright_outlook(self) -> OnetLaborMarket:
        if self.outlook is None:
            consistent = self.bright_outlook is None and not self.bright_outlook_reasons
        else:
            consistent = self.bright_outlook == bool(self.bright_outlook_reasons)
        if not consistent:
            raise ValueError("bright_outlook must be None without outlook, else reasons != ()")
        return self

    @property
    def is_aggregate(self) -> bool:
        """Whether any attached figures are those of a BLS aggregate code."""
        return any(f is not None and f.is_aggregate for f in (self.outlook, self.wages))

    @property
    def is_specialty(self) -> bool:
        """Whether the code is an O*NET-only specialty (suffix other than ``.00``), whose
        figures are those of its parent SOC code."""
        return not self.onet_code.endswith(".00")
