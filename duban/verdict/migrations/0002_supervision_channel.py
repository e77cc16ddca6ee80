from django.db import migrations


def add(apps, schema_editor):
    """Matters the supervision office opens itself: rectifications of bad ratings, reflections."""
    Channel = apps.get_model("catalogue", "Channel")
    Channel.objects.get_or_create(code="supervision", defaults={"name": "督查督办"})


class Migration(migrations.Migration):
    dependencies = [("verdict", "0001_initial"), ("catalogue", "0003_channels")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
