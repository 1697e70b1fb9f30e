"""Job-title normalisation shared by both backends' exact title lookup."""

from __future__ import annotations

import re

_NON_WORD = re.compile(r"[^0-9a-z+#]+")
_POSSESSIVE = re.compile("['\u2019]s\\b")
_PARENTHESES = re.compile(r"\(([^()]*)\)")


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


def query_tokens(text: str) -> list[str]:
    """Normalised words of a title or query (see :func:`normalize_title`)."""
    return normalize_title(text).split()
