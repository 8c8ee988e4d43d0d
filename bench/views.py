"""The benchmark's floor: a constant string through the whole middleware stack, the fastest answer Django
can give on this machine. `make bench` measures every page as a ratio to it. Mounted only when the
G7SITE_BENCH_FLOOR setting is on (bench/run.py sets it), so a production site never serves it."""

from django.db import transaction
from django.http import HttpResponse

FLOOR_PATH = "bench/floor"


# Outside a transaction, as the public pages are (publication.views.read_only): the floor touches no database.
@transaction.non_atomic_requests
def floor(request):
    return HttpResponse(b"floor", content_type="text/plain")
