from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "duban.demo"
    label = "demo"
    verbose_name = "演示 Demo"
