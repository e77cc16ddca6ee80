from django.db import migrations

# Reflection tickets (and other matters the supervision office raises) come in by this channel.
CODE, NAME = "supervision", "督查督办"


def add(apps, schema_editor):
    Channel = apps.get_model("catalogue", "Channel")
    Channel.objects.get_or_create(code=CODE, defaults={"name": NAME})


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial"), ("catalogue", "0003_channels")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
