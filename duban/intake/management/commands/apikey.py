from django.core.management.base import BaseCommand, CommandError

from duban.catalogue.models import Channel
from duban.intake import keys
from duban.intake.models import ApiKey
from duban.org.models import Unit


def _unit(name):
    units = [u for u in Unit.objects.only("name", "aliases") if name == u.name or name in (u.aliases or [])]
    if len(units) != 1:
        raise CommandError(f"找不到唯一的单位“{name}” no single unit is called {name!r}")
    return units[0]


class Command(BaseCommand):
    help = ("API keys for integrations: `create NAME [--channel C] [--unit U]` prints a new key once; "
            "`list`; `revoke NAME`.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="operation", required=True)
        create = sub.add_parser("create", help="make a key and print it once")
        create.add_argument("name")
        create.add_argument("--channel", default="open311", help="channel code of the tickets it sends")
        create.add_argument("--unit", help="the unit it is limited to (name or alias)")
        sub.add_parser("list", help="every key, without the secret")
        revoke = sub.add_parser("revoke", help="refuse a key from now on")
        revoke.add_argument("name")

    def handle(self, *args, operation, **options):
        if operation == "create":
            if ApiKey.objects.filter(name=options["name"]).exists():
                raise CommandError(f"已有同名密钥 a key named {options['name']!r} exists")
            channel = Channel.objects.filter(code=options["channel"]).first()
            if channel is None:
                codes = ", ".join(Channel.objects.values_list("code", flat=True))
                raise CommandError(f"没有渠道“{options['channel']}” no such channel; 可选 choose from: {codes}")
            unit = _unit(options["unit"]) if options["unit"] else None
            key, raw = keys.create(options["name"], channel, unit)
            self.stderr.write("请立即保存，此密钥不会再次显示 keep it now: it is not shown again")
            self.stdout.write(raw)
        elif operation == "list":
            for key in ApiKey.objects.select_related("channel", "unit"):
                state = "已吊销 revoked" if key.revoked_at else "有效 active"
                self.stdout.write(f"{key.name}\t{key.prefix}…\t{key.channel.code}\t{key.unit or '全市 city'}\t{state}")
        else:
            key = ApiKey.objects.filter(name=options["name"]).first()
            if key is None:
                raise CommandError(f"没有名为“{options['name']}”的密钥 no key named {options['name']!r}")
            keys.revoke(key)
            self.stdout.write(f"已吊销 revoked {key.name}")
