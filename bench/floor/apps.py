from django.apps import AppConfig


class FloorConfig(AppConfig):
    name = "bench.floor"
    label = "bench_floor"  # so the table is bench_floor_row
    default_auto_field = "django.db.models.BigAutoField"
