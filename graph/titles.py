"""Job titles -> O*NET-SOC occupations: the one home of title resolution and title search.

Every surface (``careergraph path|titles``, ``GET /v1/paths|gap|titles``) and both backends
answer through this module. A backend only *supplies* title records (:class:`TitleRecord`:
a title, its occupation, where O*NET lists it and with what evidence, the occupation's own
employment); :class:`TitleIndex` is built from them here and :func:`resolve_title` /
:func:`search_titles` rank what it finds. Same records, same answers: on the memory store
and on Neo4j, in the CLI and in the API.

The rules, in order (``docs/pathfinding.md`` section 1):

1. an O*NET-SOC code (``15-1252.00``) is that occupation;
2. an *exact* title: equal to an occupation, alternate or reported title up to case,
   punctuation and plurals (:func:`normalize_title`), to its part before a parenthesis or
   to the parenthesised part; then the same after expanding abbreviations O*NET lacks
   (``graph/data/title_abbreviations.csv``), dropping seniority words ("senior", "lead",
   "II") and reading "A of B" as "B A" ("director of engineering" = "engineering
   director");
3. a *fuzzy* title: a title that contains every content word of the query (spelling
   slips tolerated: 1 edit in words of 4-5 letters, 2 from 6 with the same first letter,
   1 on the first letter from 5; the last word may be a prefix of at least 4 letters) and
   whose head noun is the query's head noun (the last content word, before any "of":
   "manager" in "engineering manager", "director" in "director of engineering"; or the
   head of another coordinated part: "manager" in "Managers, All Other"). When nothing
   covers the query and its head is a rank word ("manager", "director", "head", "vice
   president"), the head is read as "director", then "manager" ("VP of engineering" ->
   "Engineering Director");
4. otherwise nothing: :class:`graph.errors.UnknownOccupationError` with up to five
   "did you mean" suggestions (titles sharing a word, by rapidfuzz ``token_sort_ratio``).

Occupations found at one stage are ranked by O*NET's evidence (:meth:`TitleIndex.rank`).
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import io
import math
import operator
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from itertools import accumulate
from typing import Any, Literal, NamedTuple, Protocol, overload

from pydantic import BaseModel

from careergraph.graph.deferred import DeferredAttributes
from careergraph.graph.errors import CareerGraphError, DataFormatError, UnknownOccupationError
from careergraph.graph.model import ONET_SOC_CODE, OnetRelease, TitleSource
from careergraph.graph.packing import stable_hash, unsigned_array

MAX_QUERY_LENGTH = 200
"""Longest accepted query, in characters after collapsing whitespace."""

Confidence = Literal["code", "exact", "alternate", "fuzzy"]
"""How a resolution was reached: an O*NET-SOC code; an occupation's own title; an
alternate or reported title; a fuzzy match."""

FILLER_WORDS = frozenset({"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to"})
"""Words that carry no occupation: ignored when matching words."""

SENIORITY_WORDS = frozenset(
    {"senior", "junior", "lead", "principal", "staff", "associate", "entry", "level"}
    | {"experienced", "i", "ii", "iii", "iv"}
)
"""Seniority and level words: "senior software engineer" is a software engineer. Dropped
from a query unless it is the last word ("principal", "sales associate")."""

RANK_WORDS = frozenset({"manager", "director", "head", "president"})
"""Management ranks that name the same O*NET occupation ("president" only as "vice
president"): when nothing covers a query headed by one, it is read as each of
:data:`RANK_READINGS`."""

RANK_READINGS = ("director", "manager")
"""How a rank word is read when nothing covers the query as typed, in order."""

RANK_READING_SIMILARITY = 0.8
"""Similarity (0-1) credited to a head word read through :data:`RANK_READINGS`."""

EXTRA_WORD_WEIGHT = 0.5
"""Fuzzy score: each title word the query lacks counts as half a missing query word."""

USAGE_SOURCES = frozenset({"02", "09", "10"})
"""``Alternate Titles`` source codes that record how workers and employers use a title:
02 incumbent data (O*NET data collection), 09 user input (O*NET web applications), 10
employer job postings; the others (01 associations, 03 occupational code assignment, 04 SOC
index, 05 state agencies, 06 Census, 07 BLS, 08 USDOL-ETA) are classification listings."""

SUGGESTION_MIN_SCORE = 50.0
"""Least rapidfuzz ``token_sort_ratio`` (0-100) of a "did you mean" title to the query."""

SUGGESTION_POOL = 300
"""Suggestions are scored among the titles holding the query's rarest words, adding the
next rarest word's titles while fewer than this many are pooled."""

VARIANT_CACHE_SIZE = 4096
"""Spelling-slip lookups (:meth:`TitleIndex._variants`) of words the titles do not use
kept per index (a search asks for the same word's variants up to three times)."""

LOOK_UP_RUNNERS_UP = 5
""":meth:`TitleIndex.look_up`'s resolution lists this many runners-up (as
:meth:`TitleIndex.resolve` does by default)."""

SUGGESTION_FIRST_READ = 8
"""Suggestion titles first read per wanted suggestion, best score first (more are read
only when those name too few occupations): ranking every title of the pool cost up to
10 ms for common words ("operator")."""

SUGGESTION_CUTOFF = 75.0
"""Least rapidfuzz ``ratio`` (0-100) of a title word to an unknown query word, for "did
you mean" suggestions only."""

_NON_WORD = re.compile(r"[^0-9a-z+#]+")
_WORD_OR_SEPARATOR = re.compile(r"[0-9a-z+#]+|[,/&]")
_POSSESSIVE = re.compile("['\u2019]s\\b")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_HEAD_STOPS = frozenset(
    {"of", "for", "in", "at", "with", "except", "to", "on", "from", "by", "including"}
)
_SEGMENT_BREAKS = frozenset({",", "/", "&", "and", "or"})
_FORM_WHOLE, _FORM_WRITTEN, _FORM_PARENTHESISED = 0, 1, 2


# -- normalisation ----------------------------------------------------------------------
@lru_cache(maxsize=1 << 16)
def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalize_title(text: str) -> str:
    """Key under which two spellings of a job title count as the same title.

    Lower case, possessive ``'s`` dropped, punctuation to spaces, each word made singular
    by the plain English rules (``Registered Nurses`` and ``registered nurse`` give
    ``registered nurse``; ``Secretaries`` gives ``secretary``). ``+`` and ``#`` are kept
    (``C++``, ``C#``).

    Examples
    --------
    >>> normalize_title("Customer Service Representatives")
    'customer service representative'
    >>> normalize_title("Teacher's Assistant")
    'teacher assistant'
    """
    words = _NON_WORD.sub(" ", _POSSESSIVE.sub("", text.lower())).split()
    return " ".join(_singular(w) for w in words)


def title_keys(name: str) -> tuple[str, str | None, str | None]:
    """The three exact-lookup keys of a stored title: ``(name_key, alias_key, abbrev_key)``.

    O*NET titles often carry a second form in parentheses, "Automotive Mechanic (Auto
    Mechanic)" or "Chief Technology Officer (CTO)": ``alias_key`` is the title without the
    parenthesised part and ``abbrev_key`` the part itself (None when absent or the same as
    ``name_key``), so users typing either form find the title.

    Examples
    --------
    >>> title_keys("Chief Technology Officer (CTO)")
    ('chief technology officer cto', 'chief technology officer', 'cto')
    """
    full = normalize_title(name)
    inner = " ".join(_PARENTHESES.findall(name))
    if not inner:
        return full, None, None
    alias = normalize_title(_PARENTHESES.sub(" ", name)) or None
    abbrev = normalize_title(inner) or None
    return full, alias if alias != full else None, abbrev if abbrev != full else None


_LOOKUP_SEPARATORS = re.compile(r"[^0-9a-z+#]+")


def lookup_key(text: str) -> str:
    """The key Neo4j Browser's saved queries compute from a typed role, with no rule of
    this module: lower case, every run of characters other than ``0-9 a-z + #`` one
    space, trimmed (``cypher/queries/routes_between_roles.cypher`` does the same in plain
    Cypher, character by character).

    Examples
    --------
    >>> lookup_key("  Software Systems-Engineer ")
    'software systems engineer'
    """
    return _LOOKUP_SEPARATORS.sub(" ", text.lower()).strip()


def title_lookup_forms(name: str) -> list[str]:
    """The keys under which a stored title is looked up in Cypher: its :func:`lookup_key`
    and its :func:`title_keys` (singular forms, the parts around a parenthesis), so
    "Software Developers", "software developer" and "CTO" find their titles. The title's
    own :func:`lookup_key` comes first, then the others sorted."""
    own = lookup_key(name)
    others = {k for k in title_keys(name) if k and k != own}
    return ([own] if own else []) + sorted(others)


def resolve_title_forms(index: TitleIndex, names: Iterable[str]) -> dict[str, dict[str, str]]:
    """For each title name, each of its :func:`title_lookup_forms` -> the O*NET-SOC code
    :meth:`TitleIndex.resolve` gives for that text (forms that resolve to nothing are left
    out). Computed once per load, so a Cypher query can resolve a typed title the way the
    product does by looking its :func:`lookup_key` up (``cypher/load/titles.cypher``)."""
    resolved: dict[str, str | None] = {}
    out: dict[str, dict[str, str]] = {}
    for name in names:
        codes: dict[str, str] = {}
        for form in title_lookup_forms(name):
            if form not in resolved:
                try:
                    resolved[form] = index.resolve(form, runners_up=0).codes[0]
                except CareerGraphError:
                    resolved[form] = None
            code = resolved[form]
            if code is not None:
                codes[form] = code
        out[name] = codes
    return out


def query_tokens(text: str) -> list[str]:
    """Normalised words of a title or query (see :func:`normalize_title`)."""
    return normalize_title(text).split()


def may_hold_tokens(text: str, tokens: Iterable[str]) -> bool:
    """False only if some of ``tokens`` (normalised words) is surely not among
    ``query_tokens(text)``: a cheap test to skip most texts before normalising them.

    Every normalised word is its raw word (lower case, possessive ``'s`` dropped) or that
    word made singular, which keeps all of it but the last letter (``directors`` ->
    ``director``, ``secretaries`` -> ``secretary``: ``secretar``), so each token's text
    but its last letter is in the lower-cased text without possessives.
    """
    plain = _POSSESSIVE.sub("", text.lower())
    return all(token[:-1] in plain for token in tokens)


def head_nouns(text: str) -> tuple[str, ...]:
    """The head nouns of a job title (no parentheses), normalised, in order.

    The head of each coordinated part before the first preposition ("of", "for", "in",
    "except", ...): "First-Line Supervisors of Retail Sales Workers" -> ``("supervisor",)``;
    "Heating, Air Conditioning, and Refrigeration Mechanics and Installers" ->
    ``("heating", "conditioning", "mechanic", "installer")``; "Managers, All Other" ->
    ``("manager",)``. Trailing seniority words are skipped ("Engineer II" -> engineer).

    Examples
    --------
    >>> head_nouns("Secretaries and Administrative Assistants, Except Legal")
    ('secretary', 'assistant')
    """
    words = _WORD_OR_SEPARATOR.findall(_POSSESSIVE.sub("", text.lower()))
    heads: list[str] = []
    segment: list[str] = []

    def close() -> None:
        content = [w for w in segment if w not in SENIORITY_WORDS] or segment
        if content and content != ["all", "other"]:
            heads.append(_singular(content[-1]))
        segment.clear()

    for word in words:
        if word in _HEAD_STOPS and (segment or heads):
            break
        if word in _SEGMENT_BREAKS:
            close()
        else:
            segment.append(word)
    close()
    return tuple(dict.fromkeys(heads))


@cache
def read_title_abbreviations() -> dict[str, tuple[str, ...]]:
    """Abbreviations O*NET lacks and what they stand for, from the package data file
    ``graph/data/title_abbreviations.csv`` (columns ``abbreviation``, ``expansion``,
    ``note``): normalised abbreviation -> normalised expansion words.

    Raises
    ------
    DataFormatError
        A row whose abbreviation is not one word, whose expansion is empty, or which
        repeats an abbreviation.
    """
    name = "graph/data/title_abbreviations.csv"
    text = (
        resources.files("careergraph.graph")
        .joinpath("data/title_abbreviations.csv")
        .read_text("utf-8")
    )
    table: dict[str, tuple[str, ...]] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        short = query_tokens(row.get("abbreviation") or "")
        expansion = tuple(query_tokens(row.get("expansion") or ""))
        if len(short) != 1:
            raise DataFormatError(name, "abbreviation must be one word", line=line)
        if not expansion or short[0] in expansion:
            raise DataFormatError(name, "expansion is empty or repeats the word", line=line)
        if short[0] in table:
            raise DataFormatError(name, f"{short[0]!r} is listed twice", line=line)
        table[short[0]] = expansion
    return table


def clean_query(text: str) -> str:
    """``text`` with whitespace collapsed.

    Raises
    ------
    CareerGraphError
        Empty text, or longer than :data:`MAX_QUERY_LENGTH` characters.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        raise CareerGraphError("a job title or O*NET-SOC code is required")
    if len(cleaned) > MAX_QUERY_LENGTH:
        raise CareerGraphError(f"job title is longer than {MAX_QUERY_LENGTH} characters")
    return cleaned


# -- records and results ----------------------------------------------------------------
class TitleRecord(NamedTuple):
    """One fact "O*NET lists ``title`` for occupation ``code``", as a backend supplies it
    (a named tuple: cheap to make; a :class:`TitleIndex` keeps its records column-wise,
    :class:`TitleRecords`).

    ``source`` is a :class:`graph.model.TitleSource` value; ``onet_sources`` the
    ``Alternate Titles`` ``Source(s)`` codes (01-10) of an alternate title;
    ``shown_in_my_next_move`` the ``Sample of Reported Titles`` flag of a reported title;
    ``own_employment_thousands`` the occupation's own BLS 2024 employment (thousands of
    jobs; None where BLS gives only a group figure, see :func:`own_employment`).
    """

    title: str
    code: str
    source: str
    occupation_title: str
    onet_sources: tuple[str, ...] = ()
    shown_in_my_next_move: bool = False
    own_employment_thousands: float | None = None


def own_employment(
    code: str, employment_thousands: float | None, is_aggregate: bool
) -> float | None:
    """The occupation's *own* BLS employment, or None when BLS publishes only a group figure.

    An O*NET specialty (a code not ending in ``.00``, e.g. 29-1141.03 Critical Care Nurses)
    shares its SOC code's figure with its siblings, and ``is_aggregate`` marks a figure BLS
    publishes for several SOC codes together (``LaborMarketFigures.bls_is_aggregate``):
    neither is the occupation's own share, so neither may rank it.
    """
    if employment_thousands is None or is_aggregate or not code.endswith(".00"):
        return None
    return employment_thousands


def title_records(release: OnetRelease) -> list[TitleRecord]:
    """The title records of a release, as the memory backend supplies them: every
    :class:`graph.model.OccupationTitle` with its occupation's title and own employment
    (BLS EP 2024, :func:`own_employment`)."""
    occupation_titles = {o.code: o.title for o in release.occupations}
    labor = {f.code: f for f in release.career.labor_market}
    records = []
    for t in release.titles:
        figures = labor.get(t.code)
        records.append(
            TitleRecord(
                title=t.name,
                code=t.code,
                source=t.source.value,
                occupation_title=occupation_titles[t.code],
                onet_sources=tuple(t.onet_sources),
                shown_in_my_next_move=t.shown_in_my_next_move,
                own_employment_thousands=(
                    own_employment(
                        t.code, figures.employment_2024_thousands, figures.bls_is_aggregate
                    )
                    if figures is not None
                    else None
                ),
            )
        )
    return records


def _interned(column: Sequence[Any]) -> tuple[tuple[Any, ...], array[int]]:
    """``column`` as ``(values, ids)``: its distinct values in first-seen order and, per
    item, the position of its value among them (``values[ids[i]] == column[i]``, of the
    same type: ``1`` and ``1.0`` or ``True`` stay apart)."""
    positions: dict[tuple[type, Any], int] = {}
    values: list[Any] = []
    ids = []
    for value in column:
        key = (type(value), value)
        at = positions.get(key)
        if at is None:
            at = positions[key] = len(values)
            values.append(value)
        ids.append(at)
    return tuple(values), unsigned_array(ids, max(len(values) - 1, 0))


_Columns = tuple[str, "array[int]", list[tuple[tuple[Any, ...], "array[int]"]]]
""":class:`TitleRecords` column-wise: ``(titles, title_ends, columns)``."""


def _columns_of(records: Sequence[TitleRecord]) -> _Columns:
    """``records`` column-wise (:class:`TitleRecords` gives the layout)."""
    titles = [r.title for r in records]
    text = "".join(titles)
    ends = unsigned_array(accumulate(map(len, titles)), len(text))
    columns = [[getattr(r, name) for r in records] for name in TitleRecord._fields[1:]]
    return text, ends, [_interned(column) for column in columns]


class TitleRecords(Sequence[TitleRecord]):
    """The title records of a :class:`TitleIndex`, in its order, stored column-wise: a
    read-only sequence of :class:`TitleRecord` that makes a record at its first read and
    keeps it.

    Column-wise storage is what makes a restored index cheap: unpickling a few strings and
    arrays takes ~1 ms where ~65 k records (tuples of strings) took ~45 ms of the memory
    snapshot's restore, and a process makes only the records its queries read (a route
    query reads a handful). Two threads may make the same record at once: equal records,
    one is kept.

    Layout, for ``n`` records: ``_columns`` (the pickled state) is ``(titles, title_ends,
    columns)``:

    - ``titles``: every title, concatenated (one ``str``); ``title_ends``: ``n`` unsigned
      integers, record ``i``'s title is ``titles[title_ends[i - 1]:title_ends[i]]`` (from 0
      for the first);
    - ``columns``: for each other field of :class:`TitleRecord`, in field order, a pair
      ``(values, ids)``: the field's distinct values (a tuple in first-seen order; O*NET
      29.3: 1,016 codes and occupation titles, 3 sources, 105 ``onet_sources`` tuples, 2
      flags, 650 employment figures) and ``n`` unsigned integers indexing it.

    ``_made`` has ``n`` slots, the record once made (or the one given to the constructor),
    else None; it is not pickled.

    A sequence made from records holds them as given and makes the columns only when it
    is pickled (~0.1 s for O*NET 29.3, when the memory snapshot is written), so an index
    built from records (each Neo4j worker builds one) pays nothing for them.

    Equal to another :class:`TitleRecords` holding equal records in the same order.

    Parameters
    ----------
    records
        The records, in the order to keep.
    """

    __slots__ = ("_columns", "_made")
    __hash__ = None  # type: ignore[assignment]  # (equality by content, as for a list)

    def __init__(self, records: Sequence[TitleRecord]) -> None:
        self._made: list[TitleRecord | None] = list(records)
        self._columns: _Columns | None = None

    def __getstate__(self) -> _Columns:
        if self._columns is not None:
            return self._columns
        made = [r for r in self._made if r is not None]
        assert len(made) == len(self._made)  # (only a restored sequence lacks records)
        return _columns_of(made)

    def __setstate__(self, state: _Columns) -> None:
        self._columns = state
        self._made = [None] * len(state[1])

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, index: int) -> TitleRecord: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[TitleRecord, ...]: ...

    def __getitem__(self, index: int | slice) -> TitleRecord | tuple[TitleRecord, ...]:
        # (the hot path, a record already made, calls no function: title search reads
        # ~30 records per query)
        found = self._made[index]  # a record, None, or for a slice a list (IndexError)
        if found is None:
            assert not isinstance(index, slice)
            return self._make(index)
        if found.__class__ is list:
            assert isinstance(index, slice)
            return tuple(map(self.__getitem__, range(len(self._made))[index]))
        return found  # type: ignore[return-value]  # (a record: slices gave lists)

    def _make(self, index: int) -> TitleRecord:
        """Record ``index`` made from the columns, and kept."""
        if index < 0:
            index += len(self._made)
        assert self._columns is not None  # (a record is missing only in a restored one)
        text, ends, columns = self._columns
        title = text[ends[index - 1] if index else 0 : ends[index]]
        fields = [title, *(values[ids[index]] for values, ids in columns)]
        record = self._made[index] = tuple.__new__(TitleRecord, fields)
        return record

    def __iter__(self) -> Iterator[TitleRecord]:
        return map(self.__getitem__, range(len(self._made)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TitleRecords):
            return NotImplemented
        return len(self) == len(other) and all(map(operator.eq, self, other))

    def __repr__(self) -> str:
        return f"<TitleRecords: {len(self)} title records>"


class _KeyTable:
    """Distinct strings -> their positions (``key -> id``), as flat data cheap to unpickle
    (a dict of the ~52 k phrase keys took ~9 ms of the snapshot's restore): a hash table
    with linear probing over :func:`graph.packing.stable_hash` (CRC-32 of a key's UTF-8),
    which unlike :func:`hash` is the same in every process.

    Layout, for ``n`` keys: ``_keys``, every key concatenated, and ``_starts``, ``n + 1``
    unsigned integers (key ``i`` is ``_keys[_starts[i]:_starts[i + 1]]``); ``_slots``, a
    power of two at least ``2 n`` of unsigned integers, each 0 (empty) or ``1 + i`` for
    key ``i``, placed at the first empty slot from its CRC-32 modulo the size. A lookup
    hashes the key once and compares ~1.3 stored keys on average.

    Parameters
    ----------
    keys
        Distinct strings; key ``i`` gets id ``i``.
    """

    __slots__ = ("_keys", "_slots", "_starts")

    def __init__(self, keys: Sequence[str]) -> None:
        self._keys = "".join(keys)
        self._starts = unsigned_array(accumulate(map(len, keys), initial=0), len(self._keys))
        slots = unsigned_array((0,), len(keys)) * (1 << max(3, (2 * len(keys)).bit_length()))
        mask = len(slots) - 1
        for i, key in enumerate(keys):
            slot = stable_hash(key) & mask
            while slots[slot]:
                slot = (slot + 1) & mask
            slots[slot] = i + 1
        self._slots = slots

    def __len__(self) -> int:
        return len(self._starts) - 1

    def key(self, i: int) -> str:
        """Key ``i`` (IndexError when there is none)."""
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._keys[self._starts[i] : self._starts[i + 1]]

    def get(self, key: str) -> int | None:
        """The id of ``key``, or None when it is not a key."""
        slots, starts, keys = self._slots, self._starts, self._keys
        mask = len(slots) - 1
        slot = stable_hash(key) & mask
        while entry := slots[slot]:
            if keys[starts[entry - 1] : starts[entry]] == key:
                return entry - 1
            slot = (slot + 1) & mask
        return None


class TitleMatch(BaseModel):
    """A job title matched to an occupation.

    ``match_kind`` is ``code``, ``exact`` (the occupation's own title), ``alternate``,
    ``reported``, ``fuzzy`` or ``suggestion`` (a "did you mean" title the query does not
    resolve to). ``score`` (0-100) is 100 for code and exact kinds; for ``fuzzy`` the
    query's words found in the title (spelling slips counted by their share of the word)
    over the query's word count plus half the title words the query lacks
    (:data:`EXTRA_WORD_WEIGHT`); for ``suggestion`` the rapidfuzz ``token_sort_ratio`` of
    the normalised texts, or for a code ten points per leading character shared.
    ``onet_sources`` are the O*NET sources listing the title for this occupation
    (``Alternate Titles`` ``Source(s)`` codes, see :data:`USAGE_SOURCES`),
    ``shown_in_my_next_move`` whether O*NET shows it as a reported title in My Next Move,
    ``employment_thousands`` the occupation's own BLS 2024 employment in thousands (None
    for O*NET specialties and BLS aggregates, which have only a group figure).
    """

    title: str
    code: str
    occupation_title: str
    match_kind: str
    score: float
    onet_sources: list[str] = []
    shown_in_my_next_move: bool = False
    employment_thousands: float | None = None


class TitleResolution(BaseModel):
    """How a free-text role was resolved to one occupation.

    ``matches`` holds the occupation used (one, in a list so callers may pass several
    codes); ``confidence`` says how it was found (``code``, ``exact``, ``alternate``,
    ``fuzzy``). ``ambiguous`` is True when a runner-up is about as well supported (the
    same fuzzy score, both or neither the occupation's own title, at most one O*NET source
    fewer, counting "shown in My Next Move" as one; see :meth:`TitleIndex.rank`);
    ``candidates`` then lists the occupations the text could mean, the chosen one first
    (empty otherwise). ``runners_up`` are the next occupations, best first.
    ``interpreted_as`` is the normalised text that matched when the query was rewritten
    (abbreviations expanded, seniority dropped, "A of B" read as "B A", a rank word read
    as another), else None.
    """

    query: str
    confidence: Confidence
    ambiguous: bool = False
    interpreted_as: str | None = None
    matches: list[TitleMatch]
    candidates: list[TitleMatch] = []
    runners_up: list[TitleMatch]

    @property
    def codes(self) -> list[str]:
        """O*NET-SOC codes of the matches, in match order."""
        return [m.code for m in self.matches]


class TitleSearch(BaseModel):
    """Titles matching a text and how the text resolves (:meth:`TitleIndex.look_up`).

    ``resolution`` is what a path query would use (None when the text resolves to
    nothing); ``results`` the matching titles, one per occupation, best first: the
    resolution's candidates in its order, then other fuzzy matches, then suggestions.
    """

    query: str
    resolution: TitleResolution | None
    results: list[TitleMatch]


class TitleIndexSource(Protocol):
    """Anything that supplies a title index (both graph stores)."""

    def title_index(self) -> TitleIndex:
        """The index of the loaded release's titles."""
        ...


# -- the index --------------------------------------------------------------------------
_FUZZY_FIELDS = frozenset(
    {
        "_postings",
        "_head_postings",
        "_phrase_words",
        "_phrase_heads",
        "_phrase_lengths",
        "_phrase_sorted_keys",
        "_vocabulary",
        "_by_initial",
        "_by_initial_length",
        "_deletion_index",
    }
)
""":class:`TitleIndex` attributes only fuzzy search and suggestions read (an exact lookup
needs none): a restored index unpickles them at first use (:class:`TitleIndex`)."""


@dataclass(slots=True)
class _Evidence:
    """What O*NET says for one occupation under one matched phrase (or the best of them)."""

    code: str
    score: float
    own: bool = False
    form: int = _FORM_PARENTHESISED
    sources: set[str] = field(default_factory=set)
    shown: bool = False
    alternate: bool = False
    record: int = -1
    record_rank: tuple[bool, int, int, bool, str] | None = None


@dataclass(frozen=True, slots=True)
class _Query:
    """A query taken apart: exact-lookup keys in order, content words, the position of the
    head noun, of every word that heads a coordinated part ("Managers, All Other": manager
    and other; the head last), and whether the head is "vice president"."""

    keys: tuple[str, ...]
    content: tuple[str, ...]
    head: int
    heads: tuple[int, ...]
    vice: bool


@dataclass(frozen=True, slots=True)
class _Ranked:
    """The ranked occupations of one stage and the text that matched."""

    evidence: list[_Evidence]
    stage: Literal["exact", "fuzzy"]
    interpreted_as: str | None


class TitleIndex(DeferredAttributes):
    """All job titles of a loaded release, ready for resolution and search.

    Built from :class:`TitleRecord` rows in any order (they are sorted first, so both
    backends build the same index). Holds an exact-lookup table of normalised title forms
    (the whole title, its part before a parenthesis, the parenthesised part), the content
    words and head nouns of each form, a word -> forms index and the title vocabulary
    (sorted, and by first letter) for the spelling-slip and prefix lookups.

    What every lookup reads is kept in forms cheap to unpickle (the memory snapshot
    restores the index before a server answers; ~2 ms for O*NET 29.3 instead of ~70 ms
    as dicts, lists and tuples): ``records``, sorted by (title, code, source), as
    :class:`TitleRecords`; the phrase keys -> phrase ids as a :class:`_KeyTable`
    (``_phrase_ids``); the records of each phrase (a normalised title form,
    numbered in first-seen order) as flat arrays, :meth:`_phrase_refs` (phrase ``p``'s
    record ids and forms are ``_ref_records`` and ``_ref_forms`` from ``_ref_starts[p]``
    to ``_ref_starts[p + 1]``).

    The fuzzy-search structures (:data:`_FUZZY_FIELDS`) of an unpickled index (the memory
    snapshot's) are unpickled at the first fuzzy search or suggestion (~50 ms, once per
    process; :class:`graph.deferred.DeferredAttributes`): an exact lookup, what a route
    query needs, reads none of them.

    Parameters
    ----------
    records
        Title records of one release; duplicates are dropped.
    """

    DEFERRED = _FUZZY_FIELDS

    def __init__(self, records: Iterable[TitleRecord]) -> None:
        ordered = sorted(set(records), key=lambda r: (r.title, r.code, r.source))
        self.records = TitleRecords(ordered)
        self._own: dict[str, int] = {}
        self._occupation_heads: dict[str, tuple[str, ...]] = {}
        self._employment: dict[str, float | None] = {}
        phrase_ids: dict[str, int] = {}
        phrase_keys: list[str] = []
        self._phrase_words: list[tuple[str, ...]] = []
        self._phrase_heads: list[tuple[str, ...]] = []
        phrase_refs: list[list[tuple[int, int]]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        head_postings: dict[str, list[int]] = defaultdict(list)
        forms_of: dict[str, list[tuple[str, tuple[str, ...], int]]] = {}
        for rid, record in enumerate(ordered):
            forms = forms_of.get(record.title)
            if forms is None:
                forms = forms_of[record.title] = self._forms(record.title)
            if record.source == TitleSource.OCCUPATION:
                self._own[record.code] = rid
                self._occupation_heads[record.code] = head_nouns(
                    _PARENTHESES.sub(" ", record.title)
                )
            self._employment.setdefault(record.code, record.own_employment_thousands)
            for key, heads, form in forms:
                pid = phrase_ids.get(key)
                if pid is None:
                    pid = phrase_ids[key] = len(phrase_keys)
                    phrase_keys.append(key)
                    words = _content_words(key.split())
                    self._phrase_words.append(words)
                    self._phrase_heads.append(heads)
                    phrase_refs.append([])
                    for word in words:
                        postings[word].append(pid)
                    for head in heads:
                        head_postings[head].append(pid)
                elif any(h not in self._phrase_heads[pid] for h in heads):
                    merged = tuple(dict.fromkeys(self._phrase_heads[pid] + heads))
                    for head in merged[len(self._phrase_heads[pid]) :]:
                        head_postings[head].append(pid)
                    self._phrase_heads[pid] = merged
                phrase_refs[pid].append((rid, form))
        refs = [ref for refs in phrase_refs for ref in refs]
        self._ref_starts = unsigned_array(accumulate(map(len, phrase_refs), initial=0), len(refs))
        self._ref_records = unsigned_array((rid for rid, _ in refs), len(ordered))
        self._ref_forms = unsigned_array((form for _, form in refs), _FORM_PARENTHESISED)
        self._postings = {w: tuple(ids) for w, ids in postings.items()}
        self._phrase_lengths = [len(words) for words in self._phrase_words]
        self._phrase_ids = _KeyTable(phrase_keys)
        self._phrase_sorted_keys = [" ".join(sorted(key.split())) for key in phrase_keys]
        self._head_postings = {w: tuple(ids) for w, ids in head_postings.items()}
        self._vocabulary = sorted(self._postings)
        by_initial: dict[str, list[str]] = defaultdict(list)
        by_initial_length: dict[tuple[str, int], list[str]] = defaultdict(list)
        deletions: dict[str, list[str]] = defaultdict(list)
        for word in self._vocabulary:
            by_initial[word[0]].append(word)
            by_initial_length[(word[0], len(word))].append(word)
            for variant in {word, *_deletions(word)}:
                deletions[variant].append(word)
        self._by_initial = dict(by_initial)
        self._by_initial_length = {k: tuple(words) for k, words in by_initial_length.items()}
        self._deletion_index = {k: tuple(words) for k, words in deletions.items()}
        self._variant_cache: dict[tuple[str, bool], dict[str, float]] = {}
        self._abbreviations = read_title_abbreviations()

    @staticmethod
    def _forms(title: str) -> list[tuple[str, tuple[str, ...], int]]:
        """(key, head nouns, form) of each lookup form of a title, as :func:`title_keys`:
        the whole title (:data:`_FORM_WHOLE`), its part before the parentheses
        (:data:`_FORM_WRITTEN`), the parenthesised part (:data:`_FORM_PARENTHESISED`)."""
        inner = " ".join(_PARENTHESES.findall(title))
        if not inner:
            key = normalize_title(title)
            return [(key, head_nouns(title), _FORM_WHOLE)] if key else []
        written = _PARENTHESES.sub(" ", title)
        full, alias = normalize_title(title), normalize_title(written)
        abbrev = normalize_title(inner)
        written_heads, inner_heads = head_nouns(written), head_nouns(inner)
        forms = [(full, tuple(dict.fromkeys(written_heads + inner_heads)), _FORM_WHOLE)]
        if alias and alias != full:
            forms.append((alias, written_heads, _FORM_WRITTEN))
        if abbrev and abbrev != full:
            forms.append((abbrev, inner_heads, _FORM_PARENTHESISED))
        return [f for f in forms if f[0]]

    def __len__(self) -> int:
        return len(self.records)

    def _phrase_refs(self, pid: int) -> range:
        """Where ``_ref_records`` and ``_ref_forms`` hold the records holding phrase
        ``pid`` (record order) and the form of the phrase each holds (indexing the arrays
        costs half what slicing them does)."""
        return range(self._ref_starts[pid], self._ref_starts[pid + 1])

    def occupation(self, code: str) -> TitleRecord | None:
        """The occupation's own title record (``Occupation Data``), or None if unknown."""
        rid = self._own.get(code)
        return None if rid is None else self.records[rid]

    # -- query analysis -----------------------------------------------------------------
    def _analyse(self, query: str) -> _Query:
        typed = normalize_title(query).split()
        expanded = [w for t in typed for w in self._abbreviations.get(t, (t,))]
        kept = [w for w in expanded[:-1] if w not in SENIORITY_WORDS] + expanded[-1:]
        while len(kept) > 1 and kept[0] in ("a", "an", "the"):
            kept = kept[1:]
        keys = [" ".join(typed), " ".join(expanded), " ".join(kept)]
        if kept.count("of") == 1 and 0 < kept.index("of") < len(kept) - 1:
            cut = kept.index("of")
            keys.append(" ".join(kept[cut + 1 :] + kept[:cut]))
        stop = next((i for i, w in enumerate(kept) if w in _HEAD_STOPS and i > 0), len(kept))
        content = list(_content_words(kept))
        before = _content_words(kept[:stop])
        head_word = before[-1] if before else content[-1] if content else ""
        head = content.index(head_word) if head_word in content else len(content) - 1
        vice = head_word == "president" and head > 0 and content[head - 1] == "vice"
        part_heads = [self._abbreviations.get(h, (h,))[-1] for h in head_nouns(query)]
        heads = [content.index(h) for h in part_heads if h in content and h != head_word]
        return _Query(
            tuple(dict.fromkeys(k for k in keys if k)),
            tuple(content),
            head,
            (*dict.fromkeys(heads), head),
            vice,
        )

    def _variants(self, word: str, *, prefix: bool) -> dict[str, float]:
        """Title words a query word may stand for, with their similarity (0-1]: itself if
        the titles use it; else words within 1 edit (4-5 letters) or 2 edits (6+) with the
        same first letter, or 1 edit anywhere (5+ letters: a slip on the first key), by
        optimal string alignment; and, for the last query word, words it begins (at least
        4 letters and half the word)."""
        if word in self._postings:
            return {word: 1.0}
        cached = self._variant_cache.get((word, prefix))
        if cached is None:
            if len(self._variant_cache) >= VARIANT_CACHE_SIZE:
                self._variant_cache.clear()
            cached = self._variant_cache[(word, prefix)] = self._find_variants(word, prefix)
        return dict(cached)

    def _find_variants(self, word: str, prefix: bool) -> dict[str, float]:
        """:meth:`_variants` of a word the titles do not use, computed. Candidates come
        from indexes that hold every word the rules can reach (the same first letter and a
        length within the edits allowed; for one edit anywhere, a shared single-letter
        deletion, which any insert, delete, substitution or swap leaves), read in
        vocabulary order, so the variants and their order are those of a scan over the
        whole vocabulary."""
        from rapidfuzz import process  # (imported by the first fuzzy search: not at start)
        from rapidfuzz.distance import OSA

        found: dict[str, float] = {}
        if len(word) >= 4:
            max_edits = 1 if len(word) <= 5 else 2
            lengths = range(len(word) - max_edits, len(word) + max_edits + 1)
            same_initial = sorted(
                w for n in lengths for w in self._by_initial_length.get((word[0], n), ())
            )
            searches = [(same_initial, max_edits)]
            if len(word) >= 5:
                near = {
                    w
                    for variant in {word, *_deletions(word)}
                    for w in self._deletion_index.get(variant, ())
                }
                for n in range(len(word) - 1, len(word) + 2):
                    searches.append((sorted(w for w in near if len(w) == n), 1))
            for words, edits in searches:
                for other, distance, _ in process.extract(
                    word, words, scorer=OSA.distance, score_cutoff=edits, limit=None
                ):
                    found[other] = 1.0 - distance / max(len(word), len(other))
            if prefix:
                start = bisect.bisect_left(self._vocabulary, word)
                for other in self._vocabulary[start:]:
                    if not other.startswith(word):
                        break
                    if len(word) * 2 >= len(other):
                        found.setdefault(other, len(word) / len(other))
        return found

    # -- ranking ------------------------------------------------------------------------
    def _collect(
        self, phrases: Iterable[tuple[int, float]], needed: int | None = None
    ) -> list[_Evidence]:
        """One :class:`_Evidence` per occupation over the given (phrase, score) pairs: for
        each occupation the phrase with the best (score, evidence), its records' evidence
        merged (own title, best form, union of O*NET sources, shown flag).

        With ``needed``, phrases are read best score first and reading stops after the
        score level at which ``needed`` occupations are found: lower levels cannot change
        the order of those (the score ranks first)."""
        best: dict[str, _Evidence] = {}
        ordered = sorted(phrases, key=lambda p: (-p[1], p[0]))
        level = math.inf
        for pid, score in ordered:
            if needed is not None and score < level:
                if len(best) >= needed:
                    break
                level = score
            merged: dict[str, _Evidence] = {}
            for ref in self._phrase_refs(pid):
                rid, form = self._ref_records[ref], self._ref_forms[ref]
                record = self.records[rid]
                ev = merged.get(record.code)
                if ev is None:
                    ev = merged[record.code] = _Evidence(record.code, score)
                own = record.source == TitleSource.OCCUPATION
                ev.own = ev.own or own
                ev.form = min(ev.form, form)
                ev.sources.update(record.onet_sources)
                ev.shown = ev.shown or record.shown_in_my_next_move
                ev.alternate = ev.alternate or record.source == TitleSource.ALTERNATE
                rank = (
                    not own,
                    form,
                    -len(record.onet_sources),
                    not record.shown_in_my_next_move,
                    record.title,
                )
                if ev.record_rank is None or rank < ev.record_rank:
                    ev.record, ev.record_rank = rid, rank
            for code, ev in merged.items():
                current = best.get(code)
                if current is None or _evidence_key(ev) < _evidence_key(current):
                    best[code] = ev
        return list(best.values())

    def rank(self, evidence: list[_Evidence], head: str) -> list[_Evidence]:
        """Occupations found at one stage, most plausible first.

        Order, each step only breaking the ties of the ones before:

        1. the better fuzzy score (100 at the exact stages);
        2. the occupation's own title before alternate and reported titles;
        3. the query equal to the whole title, before equal to its part before a
           parenthesis, before equal only to the parenthesised part;
        4. more O*NET sources listing the title for the occupation (``Alternate Titles``
           ``Source(s)``, merged over its records);
        5. shown in My Next Move (``Sample of Reported Titles``);
        6. more of those sources that record use by workers and employers
           (:data:`USAGE_SOURCES`: incumbents, user input, job postings) rather than
           classification listings;
        7. an occupation with its own BLS employment figure (a SOC-level ``.00`` code BLS
           publishes alone) before an O*NET specialty or a BLS aggregate, whose only figure
           is the group's;
        8. the occupation's own title sharing the query's head noun ("designer" for "UX
           designer": Web and Digital Interface Designers before Software QA Analysts and
           Testers);
        9. the larger own BLS 2024 employment;
        10. the code.

        Then one exception: when the first is a specialty of an "All Other" SOC group
        (``XX-XX99.xx``, e.g. 15-1299.09 Information Technology Project Managers) and an
        occupation of its own SOC code (``.00``, not an "All Other" group) is about as well
        supported (:func:`_is_close`: same score and kind of title, at most one O*NET
        source fewer), that occupation comes first: a residual group's specialty is the
        narrower reading of a title that a named occupation also carries ("IT manager":
        Computer and Information Systems Managers).
        """

        def key(ev: _Evidence) -> tuple[object, ...]:
            heads = self._occupation_heads.get(ev.code, ())
            employment = self._employment.get(ev.code)
            return (
                *_evidence_key(ev),
                -len(ev.sources & USAGE_SOURCES),
                employment is None,
                head not in heads,
                -(employment or 0.0),
                ev.code,
            )

        ranked = sorted(evidence, key=key)
        if ranked and _is_all_other_specialty(ranked[0].code):
            for n, ev in enumerate(ranked[1:], start=1):
                if _is_named_occupation(ev.code) and _is_close(ranked[0], ev):
                    return [ev, *ranked[:n], *ranked[n + 1 :]]
        return ranked

    def _find(self, query: str, needed: int) -> _Ranked | None:
        """The ranked occupations of the first stage that finds any (at least the best
        ``needed`` of a fuzzy stage), or None."""
        analysed = self._analyse(query)
        head = analysed.content[analysed.head] if analysed.content else ""
        for n, key in enumerate(analysed.keys):
            pid = self._phrase_ids.get(key)
            if pid is not None:
                found = self.rank(self._collect([(pid, 100.0)]), head)
                return _Ranked(found, "exact", key if n else None)
        if not analysed.content:
            return None
        scored = self._cover(analysed.content, analysed.heads, {}, needed)
        interpreted = " ".join(analysed.content)
        if not scored and (head in RANK_WORDS - {"president"} or analysed.vice):
            others = [w for i, w in enumerate(analysed.content) if i != analysed.head]
            if analysed.vice:
                others.remove("vice")
            for reading in RANK_READINGS:
                if reading == head:
                    continue
                words = (*others, reading)
                cover = self._cover(words, (len(words) - 1,), {reading: 1.0}, needed)
                for pid, score in cover.items():
                    scored[pid] = max(score, scored.get(pid, 0.0))
                if scored:
                    interpreted = " ".join(words)
                    head = reading
                    break
        if not scored:
            return None
        found = self.rank(self._collect(scored.items(), needed), head)
        typed = normalize_title(query)
        return _Ranked(found, "fuzzy", interpreted if interpreted != typed else None)

    def _cover(
        self,
        words: Sequence[str],
        heads: Sequence[int],
        reading: dict[str, float],
        needed: int | None = None,
    ) -> dict[int, float]:
        """Phrases holding every query word (or a variant) and headed by one of the query's
        head words (positions ``heads``, the head noun last), with their fuzzy score
        (0-100]; ``reading`` replaces the head noun's variants (a rank word read as another,
        credited :data:`RANK_READING_SIMILARITY`).

        With ``needed``, phrases are scored shortest first and scoring stops once
        ``needed`` occupations hold phrases scoring above anything a longer phrase could
        reach (a phrase of ``L`` words scores at most ``100 * s / (n + w * (L - n))``), so
        the best ``needed`` occupations and their scores are those a full scan gives."""
        variants = [self._variants(w, prefix=i == len(words) - 1) for i, w in enumerate(words)]
        if reading:
            variants[heads[-1]] = {w: RANK_READING_SIMILARITY for w in reading}
        if any(not v for v in variants):
            return {}
        head_words = {w for i in heads for w in variants[i]}
        head_ids = [pid for w in head_words for pid in self._head_postings.get(w, ())]
        pools: list[list[int]] = [head_ids] + [
            [pid for w in v for pid in self._postings.get(w, ())] for v in variants
        ]
        seed = set(pools[min(range(len(pools)), key=lambda i: len(pools[i]))])
        lengths = self._phrase_lengths
        n = len(variants)
        most = sum(max(v.values()) for v in variants)
        plain = [next(iter(v)) for v in variants] if all(len(v) == 1 for v in variants) else []
        codes: dict[str, float] = {}
        scored: dict[int, float] = {}
        length = 0
        for pid in sorted(seed, key=lambda p: (lengths[p], p)):
            if needed is not None and lengths[pid] > length:
                length = lengths[pid]
                bound = 100.0 * most / (n + EXTRA_WORD_WEIGHT * max(0, length - n))
                if sum(1 for c in codes.values() if c > bound) >= needed:
                    break
            phrase_heads = self._phrase_heads[pid]
            if any(w in phrase_heads for w in head_words):
                score: float | None
                if plain:  # one variant per word: the score depends on the length only
                    phrase_words = self._phrase_words[pid]
                    extra = lengths[pid] - len(set(plain))
                    score = (
                        round(100.0 * most / (n + EXTRA_WORD_WEIGHT * extra), 1)
                        if all(w in phrase_words for w in plain)
                        else None
                    )
                else:
                    score = self._score(pid, variants, require_all=True)
                if score is not None:
                    scored[pid] = score
                    if needed is not None:
                        for ref in self._phrase_refs(pid):
                            code = self.records[self._ref_records[ref]].code
                            codes[code] = max(score, codes.get(code, 0.0))
        return scored

    def _score(
        self, pid: int, variants: Sequence[dict[str, float]], *, require_all: bool
    ) -> float | None:
        """Fuzzy score (0-100) of a phrase for query words given as variant maps: the
        best similarity of each query word found in the phrase, summed, over the number of
        query words plus :data:`EXTRA_WORD_WEIGHT` per phrase word left unmatched. None if
        ``require_all`` and a query word is missing."""
        phrase_words = self._phrase_words[pid]
        total = 0.0
        matched: set[str] = set()
        for v in variants:
            best_word, best = "", 0.0
            for w, similarity in v.items():
                if similarity > best and w in phrase_words:
                    best_word, best = w, similarity
            if not best_word:
                if require_all:
                    return None
                continue
            total += best
            matched.add(best_word)
        extra = sum(1 for w in phrase_words if w not in matched)
        return round(100.0 * total / (len(variants) + EXTRA_WORD_WEIGHT * extra), 1)

    def _match(self, ev: _Evidence, kind: str | None = None) -> TitleMatch:
        record = self.records[ev.record]
        if kind is None:
            kind = "exact" if ev.own else "alternate" if ev.alternate else "reported"
        return TitleMatch(
            title=record.title,
            code=ev.code,
            occupation_title=record.occupation_title,
            match_kind=kind,
            score=ev.score,
            onet_sources=sorted(ev.sources),
            shown_in_my_next_move=ev.shown,
            employment_thousands=self._employment.get(ev.code),
        )

    def _code_match(self, code: str) -> TitleMatch | None:
        own = self.occupation(code)
        if own is None:
            return None
        return TitleMatch(
            title=own.title,
            code=code,
            occupation_title=own.title,
            match_kind="code",
            score=100.0,
            employment_thousands=self._employment.get(code),
        )

    # -- public answers -----------------------------------------------------------------
    def resolve(self, text: str, runners_up: int = 5) -> TitleResolution:
        """Resolve a job title or O*NET-SOC code to the occupation people mean.

        Parameters
        ----------
        text
            Free text or an O*NET-SOC code, 1-200 characters after collapsing whitespace.
        runners_up
            How many next-best occupations to list.

        Returns
        -------
        TitleResolution
            One match, the confidence, ambiguity and candidates, the runners-up.

        Raises
        ------
        UnknownOccupationError
            Nothing matches; carries up to five suggestions, ``(title, code)``: close
            titles' occupations, or for an unknown code the codes sharing its longest
            prefix.
        CareerGraphError
            Empty text or more than :data:`MAX_QUERY_LENGTH` characters.
        """
        query = clean_query(text)
        if ONET_SOC_CODE.fullmatch(query):
            match = self._code_match(query)
            if match is None:
                near = self.suggest_codes(query, 5)
                raise UnknownOccupationError(query, [(m.occupation_title, m.code) for m in near])
            return TitleResolution(query=query, confidence="code", matches=[match], runners_up=[])
        found = self._find(query, runners_up + 5)
        if found is None:
            near = self.suggest(query, 5)
            raise UnknownOccupationError(query, [(m.occupation_title, m.code) for m in near])
        return self._resolution(query, found, runners_up)

    def _resolution(self, query: str, found: _Ranked, runners_up: int) -> TitleResolution:
        """:meth:`resolve`'s answer from the stage that found ``query`` (read for at least
        ``runners_up + 5`` occupations)."""
        best, rest = found.evidence[0], found.evidence[1:]
        close = [ev for ev in rest if _is_close(best, ev)]
        kind = "fuzzy" if found.stage == "fuzzy" else None
        match = self._match(best, kind)
        confidence: Confidence = (
            "fuzzy" if kind else "exact" if match.match_kind == "exact" else "alternate"
        )
        return TitleResolution(
            query=query,
            confidence=confidence,
            ambiguous=bool(close),
            interpreted_as=found.interpreted_as,
            matches=[match],
            candidates=[match, *(self._match(ev, kind) for ev in close[:4])] if close else [],
            runners_up=[self._match(ev, kind) for ev in rest[:runners_up]],
        )

    def search(self, text: str, limit: int = 10) -> list[TitleMatch]:
        """Titles matching ``text``, one per occupation, best first, at most ``limit``.

        An O*NET-SOC code gives its occupation (``code``), or for an unknown code the
        occupations sharing its longest prefix (``suggestion``). Text gives the occupations
        :meth:`resolve` ranks (exact kinds, or fuzzy when nothing matches exactly; the first
        is the resolution), then other fuzzy matches, then "did you mean" suggestions.

        Raises
        ------
        CareerGraphError
            Empty text or more than :data:`MAX_QUERY_LENGTH` characters.
        """
        query = clean_query(text)
        if ONET_SOC_CODE.fullmatch(query):
            match = self._code_match(query)
            return [match] if match is not None else self.suggest_codes(query, limit)
        return self._search(query, self._find(query, limit), limit)

    def _search(self, query: str, found: _Ranked | None, limit: int) -> list[TitleMatch]:
        """:meth:`search`'s answer for text (not a code) from the stage that found it
        (read for at least ``limit`` occupations; prefixes of a longer reading agree)."""
        results: list[TitleMatch] = []
        if found is not None:
            kind = "fuzzy" if found.stage == "fuzzy" else None
            results += [self._match(ev, kind) for ev in found.evidence[:limit]]
            if found.stage == "exact" and len(results) < limit:
                analysed = self._analyse(query)
                if analysed.content:
                    scored = self._cover(analysed.content, analysed.heads, {}, limit)
                    head = analysed.content[analysed.head]
                    fuzzy = self.rank(self._collect(scored.items(), limit), head)
                    results += [self._match(ev, "fuzzy") for ev in fuzzy]
        if len(results) < limit:
            results += self.suggest(query, limit)
        unique: dict[str, TitleMatch] = {}
        for match in results:
            unique.setdefault(match.code, match)
        return list(unique.values())[:limit]

    def look_up(self, text: str, limit: int = 10) -> TitleSearch:
        """:meth:`search` and :meth:`resolve` in one answer (``resolution`` None when the
        text resolves to nothing).

        Raises
        ------
        CareerGraphError
            Empty text or more than :data:`MAX_QUERY_LENGTH` characters.
        """
        query = clean_query(text)
        resolution: TitleResolution | None = None
        if ONET_SOC_CODE.fullmatch(query):
            results = self.search(query, limit)
            with contextlib.suppress(UnknownOccupationError):
                resolution = self.resolve(query)
            return TitleSearch(query=query, resolution=resolution, results=results)
        # One reading serves both answers: the best ``n`` occupations of a stage read
        # for more are those it gives when read for ``n`` (see :meth:`_cover`).
        found = self._find(query, max(limit, LOOK_UP_RUNNERS_UP + 5))
        if found is not None:
            resolution = self._resolution(query, found, LOOK_UP_RUNNERS_UP)
        return TitleSearch(
            query=query, resolution=resolution, results=self._search(query, found, limit)
        )

    def suggest(self, text: str, limit: int = 5) -> list[TitleMatch]:
        """ "Did you mean" titles for text that may resolve to nothing, one per occupation.

        The titles sharing a word with the text (or a spelling-slip variant of one, or a
        title word within rapidfuzz ``ratio`` :data:`SUGGESTION_CUTOFF` of one; the rarest
        words' titles, at least :data:`SUGGESTION_POOL` of them when there are), ranked by
        rapidfuzz ``token_sort_ratio`` of the normalised texts (at least
        :data:`SUGGESTION_MIN_SCORE`), ties by O*NET's evidence; ``score`` is that ratio.
        """
        from rapidfuzz import fuzz, process

        analysed = self._analyse(text)
        words = analysed.content
        postings = sorted(
            (
                [
                    ids
                    for variant in self._loose_variants(word, prefix=i == len(words) - 1)
                    if (ids := self._postings.get(variant))
                ]
                for i, word in enumerate(words)
            ),
            key=lambda lists: sum(len(ids) for ids in lists),
        )
        found: set[int] = set()
        for lists in postings:  # the rarest words first, until the pool is large enough
            if len(found) >= SUGGESTION_POOL:
                break
            for ids in lists:
                found.update(ids)
        if not found:
            return []
        pool = list(found)
        choices = [self._phrase_sorted_keys[pid] for pid in pool]
        query = " ".join(sorted(words))  # token_sort_ratio = ratio of the sorted words
        take = SUGGESTION_FIRST_READ * limit
        while True:
            # The best ``take`` titles; every title scoring above the last one read is
            # among them, so when those alone hold ``limit`` occupations the answer is the
            # one a full ranking gives (the score ranks first); else read twice as many.
            hits = process.extract(
                query,
                choices,
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=SUGGESTION_MIN_SCORE,
                limit=take,
            )
            scored = [(pool[i], round(score, 1)) for _, score, i in hits]
            if len(hits) < take:
                evidence = self._collect(scored, limit)
                break
            floor = scored[-1][1]
            evidence = self._collect([(pid, s) for pid, s in scored if s > floor], limit)
            if len(evidence) >= limit:
                break
            take *= 2
        ranked = sorted(evidence, key=lambda ev: (*_evidence_key(ev), ev.code))
        return [self._match(ev, "suggestion") for ev in ranked[:limit]]

    def _loose_variants(self, word: str, *, prefix: bool) -> dict[str, float]:
        """:meth:`_variants`, else title words within rapidfuzz ``ratio``
        :data:`SUGGESTION_CUTOFF` of ``word`` (at most three), for suggestions only."""
        found = self._variants(word, prefix=prefix)
        if found or len(word) < 4:
            return found
        from rapidfuzz import fuzz, process

        hits = process.extract(
            word,
            self._by_initial.get(word[0], []),
            scorer=fuzz.ratio,
            score_cutoff=SUGGESTION_CUTOFF,
            limit=3,
        )
        return {other: score / 100.0 for other, score, _ in hits}

    def suggest_codes(self, code: str, limit: int = 5) -> list[TitleMatch]:
        """Occupations whose codes share the longest prefix with ``code`` (at least the
        SOC major group, two characters), by code (``15-1252.00`` for ``15-1252.07``);
        ``score`` is ten points per shared leading character."""
        common = {c: _common_prefix_length(c, code) for c in self._own}
        ranked = sorted((c for c, n in common.items() if n >= 2), key=lambda c: (-common[c], c))
        matches = []
        for c in ranked[:limit]:
            match = self._code_match(c)
            assert match is not None
            matches.append(
                match.model_copy(update={"match_kind": "suggestion", "score": 10.0 * common[c]})
            )
        return matches


def _deletions(word: str) -> set[str]:
    """``word`` with one letter left out, each way (the deletion neighbourhood of Garbe's
    SymSpell: two words one insert, delete, substitution or swap apart share one)."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _content_words(words: Sequence[str]) -> tuple[str, ...]:
    """Words that name the occupation: fillers and seniority words dropped (all kept if
    nothing else is left), each once."""
    content = [w for w in words if w not in FILLER_WORDS and w not in SENIORITY_WORDS]
    return tuple(dict.fromkeys(content or words))


def _evidence_key(ev: _Evidence) -> tuple[float, bool, int, int, bool]:
    return (-ev.score, not ev.own, ev.form, -len(ev.sources), not ev.shown)


def _is_all_other_specialty(code: str) -> bool:
    """An O*NET specialty of a SOC "All Other" group (``XX-XX99.01`` and up)."""
    return code[5:7] == "99" and not code.endswith(".00")


def _is_named_occupation(code: str) -> bool:
    """A SOC-level O*NET occupation (``.00``) that is not an "All Other" group."""
    return code.endswith(".00") and code[5:7] != "99"


def _is_close(best: _Evidence, other: _Evidence) -> bool:
    """Is ``other`` about as well supported as ``best``: the same score, both or neither
    the occupation's own title, and O*NET sources (+1 if shown in My Next Move) at most one
    fewer? (How the text matches, whole or in parentheses, does not make a title less
    ambiguous.)"""
    return (
        other.score == best.score
        and other.own == best.own
        and len(other.sources) + other.shown >= len(best.sources) + best.shown - 1
    )


def _common_prefix_length(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


# -- entry points -----------------------------------------------------------------------
def resolve_title(store: TitleIndexSource, text: str, *, runners_up: int = 5) -> TitleResolution:
    """Resolve a job title or O*NET-SOC code on ``store``'s titles
    (:meth:`TitleIndex.resolve`, which documents the answer and the errors).

    Raises
    ------
    UnknownOccupationError
        Nothing matches (with up to five suggestions).
    CareerGraphError
        Empty text or more than 200 characters.
    NotLoadedError, BackendUnavailableError
        The store is empty or unreachable.
    """
    return store.title_index().resolve(text, runners_up)


def look_up_titles(store: TitleIndexSource, text: str, limit: int = 10) -> TitleSearch:
    """Titles matching ``text`` on ``store``'s titles and how it resolves
    (:meth:`TitleIndex.look_up`): the answer of ``careergraph titles`` and
    ``GET /v1/titles``.

    Raises
    ------
    CareerGraphError
        Empty text or more than 200 characters.
    NotLoadedError, BackendUnavailableError
        The store is empty or unreachable.
    """
    return store.title_index().look_up(text, limit)


def search_titles(store: TitleIndexSource, text: str, limit: int = 10) -> list[TitleMatch]:
    """Titles matching ``text`` on ``store``'s titles (:meth:`TitleIndex.search`).

    Raises
    ------
    CareerGraphError
        Empty text or more than 200 characters.
    NotLoadedError, BackendUnavailableError
        The store is empty or unreachable.
    """
    return store.title_index().search(text, limit)


def suggest_codes(store: TitleIndexSource, code: str, limit: int = 5) -> list[TitleMatch]:
    """Occupations with codes near ``code`` (:meth:`TitleIndex.suggest_codes`)."""
    return store.title_index().suggest_codes(code, limit)


__all__ = [
    "MAX_QUERY_LENGTH",
    "Confidence",
    "TitleIndex",
    "TitleIndexSource",
    "TitleMatch",
    "TitleRecord",
    "TitleResolution",
    "TitleSearch",
    "clean_query",
    "head_nouns",
    "look_up_titles",
    "may_hold_tokens",
    "normalize_title",
    "own_employment",
    "query_tokens",
    "read_title_abbreviations",
    "resolve_title",
    "search_titles",
    "suggest_codes",
    "title_keys",
    "title_records",
]
