"""The public member directory: who appears in it, and the typo-tolerant search over it.

Each function takes a Company queryset and returns a narrowed or annotated one, so that the
directory pages and the REST API build on the same rules.
"""

import datetime
import re

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramStrictWordSimilarity,
)
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Value

from members.models import Company, Membership, Sector

# Longer input is cut off: it would only make the query slower, never the answer better.
MAX_QUERY_LENGTH = 100
# Each word becomes two trigram conditions; a handful is plenty for company names and places.
MAX_TYPO_WORDS = 6
# Shorter words have too few trigrams to tell a typo from another word; full text covers them.
MIN_TYPO_WORD_LENGTH = 4
# A name that looks like the query counts more than a municipality that does.
MUNICIPALITY_SIMILARITY_WEIGHT = 0.5

_WORD = re.compile(r"\w+")


def in_public_directory(
    queryset: QuerySet[Company], on: datetime.date | None = None
) -> QuerySet[Company]:
    """Companies that agreed to a public profile and hold a current membership."""
    current = Membership.objects.current(on).filter(company=OuterRef("pk"))
    return queryset.in_directory().filter(Exists(current))


def for_directory_display(
    queryset: QuerySet[Company], on: datetime.date | None = None
) -> QuerySet[Company]:
    """What a directory card or profile shows, in a fixed number of queries.

    `company.current_memberships` holds the current membership (at most one, the database
    guarantees a single active one) with its chamber, so the home chamber costs no query per row.
    """
    return queryset.prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.order_by("name")),
        Prefetch(
            "memberships",
            queryset=Membership.objects.current(on).select_related("chamber"),
            to_attr="current_memberships",
        ),
    )


def normalise_query(q: str | None) -> str:
    """The search text as we use it: trimmed, bounded, and empty when it holds no word at all."""
    q = (q or "").strip()[:MAX_QUERY_LENGTH]
    return q if _WORD.search(q) else ""


def _close_to(word: str) -> QuerySet:
    """Ids of companies with a word in their name or municipality that looks like `word`.

    Strict word similarity (`%>>`, threshold 0.5) rather than word similarity (`%>`, 0.6): a
    dropped letter in a short place name scores 0.55 ("Mechlen" against Mechelen), which `%>`
    would miss. Both are served by the gin_trgm_ops indexes.

    A UNION of one condition per index, never one WHERE with OR: the planner prices the trigram
    operators as nearly free, so for an OR over several columns it prefers to scan the whole
    table and compute the similarity for every row (measured on 100k rows: 176 ms against 12 ms
    for a rare word). Each branch on its own goes through its GIN index.
    """
    by_name = Company.objects.filter(name__trigram_strict_word_similar=word)
    by_place = Company.objects.filter(municipality__trigram_strict_word_similar=word)
    return by_name.order_by().values("pk").union(by_place.order_by().values("pk"))


def search(queryset: QuerySet[Company], q: str | None) -> QuerySet[Company]:
    """Companies matching `q`, best match first, with the score annotated as `search_rank`.

    A company matches on full text (the stored, GIN-indexed `search_vector` over name,
    municipality and description, with Dutch stemming) or, to forgive typos, when every longer
    word of `q` looks like a word of its name or municipality: "Mechlen" finds Mechelen and
    "Brouwrij Anker" finds Brouwerij Het Anker. The rank adds the full-text rank (a name counts
    more than a place, a place more than the description) to how much the name, and half as much
    the municipality, look like `q`. A `q` without any word leaves the queryset as it was.
    """
    q = normalise_query(q)
    if not q:
        return queryset
    # websearch syntax never raises on user input: quotes, "or", "-" and stray symbols are safe.
    text_query = SearchQuery(q, config="dutch", search_type="websearch")
    matching = Company.objects.filter(search_vector=text_query).order_by().values("pk")
    words = [w for w in _WORD.findall(q) if len(w) >= MIN_TYPO_WORD_LENGTH][:MAX_TYPO_WORDS]
    if words:
        # Every longer word must look like a word of the name or of the municipality.
        close_to_every_word = _close_to(words[0])
        if len(words) > 1:
            close_to_every_word = close_to_every_word.intersection(*map(_close_to, words[1:]))
        matching = matching.union(close_to_every_word)
    rank = (
        SearchRank(F("search_vector"), text_query)
        + TrigramStrictWordSimilarity(q, "name")
        + Value(MUNICIPALITY_SIMILARITY_WEIGHT) * TrigramStrictWordSimilarity(q, "municipality")
    )
    return (
        queryset.filter(pk__in=matching)
        .annotate(search_rank=rank)
        .order_by("-search_rank", "name", "pk")
    )
