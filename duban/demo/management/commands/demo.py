"""`duban demo`: migrate, load the demo city 江城市 once, print how to log in, and serve it."""
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from duban.demo.city import CITY_NAME, LOGINS, PASSWORD, is_loaded
from duban.demo.load import load

ADDRESS = "127.0.0.1:8000"


class Command(BaseCommand):
    help = "Load the demo city 江城市 and its tickets (once), then serve it on http://127.0.0.1:8000/"

    def add_arguments(self, parser):
        parser.add_argument("--seed-only", action="store_true", help="load the demo data without serving")
        parser.add_argument("--tickets", type=int, default=5000, help="how many tickets (default 5000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args, seed_only=False, tickets=5000, seed=2026, **options):
        call_command("migrate", verbosity=0, interactive=False)
        if is_loaded():
            self.stdout.write(f"演示城市{CITY_NAME}已加载，不再重复 the demo city is already loaded")
        else:
            self.stdout.write(f"正在加载演示城市{CITY_NAME} loading the demo city ({tickets} tickets, seed {seed})")
            started = time.monotonic()
            load(tickets, seed, log=self.stdout.write)
            seconds = time.monotonic() - started
            self.stdout.write(f"加载完成，用时 {seconds:.1f} 秒 loaded in {seconds:.1f} s")
        self.print_logins()
        if not seed_only:
            call_command("runserver", ADDRESS, use_reloader=False, insecure_serving=True)

    def print_logins(self):
        width = max(len(username) for username, _, _ in LOGINS) + 2
        self.stdout.write("")
        self.stdout.write(f"市民页面 Citizens: http://{ADDRESS}/    登录 Log in: http://{ADDRESS}/login/"
                          f"    管理后台 Admin: http://{ADDRESS}/admin/")
        self.stdout.write(f"所有演示账号密码均为 every demo account's password: {PASSWORD}")
        for username, chinese, english in LOGINS:
            self.stdout.write(f"  {username.ljust(width)}{chinese} — {english}")
        self.stdout.write("")
