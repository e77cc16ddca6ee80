from django.urls import path

from bench.floor.views import floor

urlpatterns = [path("floor/", floor)]
