"""Rules of corpus-search's API that its OpenAPI description states in words because JSON
Schema cannot say them, for schemathesis (tests/contract/run.sh loads this file).

Schemathesis generates requests from /api/openapi.json and expects every request the schema
allows to succeed. A few rules span a parameter's grammar or two parameters at once; the
description says them in each parameter's text, and the hooks below make the generated
*valid* requests keep them, so that a 400 the server gives them is a real finding:

- q (and each compare) is a query in the query language: quotes and parentheses closed, operators with their
  words, every word holding a letter, digit or CJK character. The hook keeps the words of a
  generated q that are plain words; it never adds a q or fills an empty one, so requests
  that break the schema itself (a kwic without q, q="") stay as generated.
- from and to are dates: 2024, 2024-03 or 2024-03-05.
- compare and normalize count over one facet: with them, `by` names one.

Nothing here makes a request the schema forbids look valid: a hook only touches values the
schema allows. One generated "invalid" request is dropped instead: a URL has no types, so a
text parameter given a boolean or a number (`compare=true`) is the valid text "true" once
sent; schemathesis would count the server's acceptance of it as a finding.
"""

import datetime
import re

import schemathesis

# Characters with a meaning in the query language.
SYNTAX = re.compile(r'["“”＂()（）|｜~～:：*]')
OPERATORS = {"OR", "AND", "NOT"}
MAX_QUERY_CHARS = 5_000  # the schema's maxLength of q
DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")


def plain_words(q):
    """The words of q that are plain words of the query language."""
    words = []
    for word in SYNTAX.sub(" ", q).split():
        if word in OPERATORS or word.startswith(("NEAR/", "-", "－")):
            continue
        if any(c.isalnum() for c in word) and all(c.isprintable() for c in word):
            words.append(word)
    return " ".join(words)


def is_date(text):
    if not DATE.match(text):
        return False
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        datetime.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return 1900 <= parts[0] <= 2100


@schemathesis.hook
def map_query(ctx, query):
    if not query:
        return query
    q = query.get("q")
    # Longer than the schema's maxLength: a request meant to be refused, left as it is.
    if isinstance(q, str) and 0 < len(q) <= MAX_QUERY_CHARS:
        kept = plain_words(q)
        # A concordance needs a word to show.
        if not kept and ctx.operation.path == "/api/kwic":
            kept = "经济"
        query["q"] = kept
    compare = query.get("compare")
    if isinstance(compare, list):
        query["compare"] = [plain_words(c) if isinstance(c, str) else c for c in compare]
    for bound in ("from", "to"):
        value = query.get(bound)
        if isinstance(value, str) and value.strip() and not is_date(value.strip()):
            query[bound] = "2024-03" if bound == "from" else "2024-12-31"
    by = query.get("by")
    if isinstance(by, list) and len(set(by)) > 1:
        if query.get("compare") or query.get("normalize") in (True, "true", "1"):
            query["by"] = by[:1]
    return query


# Parameters whose every text is valid (any query words, any source name).
ANY_TEXT = {"q", "compare", "source"}


@schemathesis.hook
def filter_case(ctx, case):
    meta = getattr(case, "meta", None)
    if meta is None or str(meta.generation.mode) != "negative" or not case.query:
        return True
    for name in ANY_TEXT & set(case.query):
        values = case.query[name]
        for value in values if isinstance(values, list) else [values]:
            if value is None or isinstance(value, (bool, int, float)):
                return False
    return True
