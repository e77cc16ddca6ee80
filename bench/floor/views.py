import json

from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from bench.floor.models import Row


@require_POST
def floor(request):
    """Parse the JSON body, insert one row in a transaction, answer 201 with its id."""
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "not JSON"}, status=400)
    with transaction.atomic():
        row = Row.objects.create(body=data.get("description", ""))
    return JsonResponse({"id": row.pk}, status=201)
