"""What the search tests share: the commitment register's records they look for, by slug; what a search finds
of one kind of record; and the fields of a record published a minute ago."""

import datetime

from django.utils import timezone

from search.engine import search
from search.models import Kind

COMPETITION_SUMMIT = "digital-competition-summit"
EPAD = "epad-published-igf-2023-kyoto"
HUMAN_CENTRED = "tsukuba-2019-human-centred-ai"
TSUKUBA = "g20-2019-trade-and-digital-economy-tsukuba"


def commitment_hits(query, language, kinds=None):
    results = search(query, language=language, kinds=kinds)
    return [(hit.slug, hit.url, hit.context) for hit in results.hits if hit.kind == Kind.COMMITMENT], results


def found_of_kind(query, language, kind, kinds=None):
    """The hits of `kind` as (slug, url, context)."""
    return [
        (hit.slug, hit.url, hit.context)
        for hit in search(query, language=language, kinds=kinds).hits
        if hit.kind == kind
    ]


def slugs(query, language, kind):
    return [slug for slug, _url, _context in found_of_kind(query, language, kind)]


def published(**fields):
    return {"status": "published", "published_at": timezone.now() - datetime.timedelta(minutes=1), **fields}
