"""A URL whose view fails with an error that is not the database's, for test_unavailable.py."""
from django.urls import path


def broken(request):
    raise RuntimeError("a bug, not an outage")


urlpatterns = [path("broken/", broken)]
