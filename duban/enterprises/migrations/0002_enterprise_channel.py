from django.db import migrations

# A firm's requests (政企直通车) come in by this channel.
CODE, NAME = "enterprise", "政企直通车"


def add(apps, schema_editor):
    Channel = apps.get_model("catalogue", "Channel")
    Channel.objects.get_or_create(code=CODE, defaults={"name": NAME})


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial"), ("catalogue", "0003_channels")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
