"""Job-title normalisation shared by both backends' exact title lookup."""

from __future__ import annotations

import re

_NON_WORD = re.compile(r"[^0-9a-z+#]+")


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def normalize_title(text: str) -> str:
    """Key under which two spellings of a job title count as the same title.

    Lower case, punctuation to spaces, each word made singular by the plain English rules
    (``Registered Nurses`` and ``registered nurse`` give ``registered nurse``;
    ``Secretaries`` gives ``secretary``). ``+`` and ``#`` are kept (``C++``, ``C#``).

    Examples
    --------
    >>> normalize_title("Customer Service Representatives")
    'customer service representative'
    >>> normalize_title("Nurse Practitioner (NP)")
    'nurse practitioner np'
    """
    words = _NON_WORD.sub(" ", text.lower()).split()
    return " ".join(_singular(w) for w in words)
