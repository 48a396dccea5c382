"""The bench's bare view (`make bench`, docs/performance.md): a constant JSON answer.

Served through the same server and middleware as every page, only when BENCH_CEILING_VIEW is
set: what the stack costs before the portal does any work, the ceiling the API is compared to.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

BODY = {"ceiling": True, "items": [{"n": n, "name": f"item {n}"} for n in range(10)]}


@require_GET
def ceiling(request):
    return JsonResponse(BODY)
