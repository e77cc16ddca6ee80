from django.db import migrations

CHANNELS = [
    ("hotline", "12345热线"), ("web", "网站"), ("app", "移动应用"), ("wechat", "微信"),
    ("mailbox", "意见箱/信箱"), ("inspection", "督查检查"), ("survey", "调查问卷"),
    ("import", "台账导入"), ("open311", "Open311 接口"),
]


def add(apps, schema_editor):
    Channel = apps.get_model("catalogue", "Channel")
    for code, name in CHANNELS:
        Channel.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
