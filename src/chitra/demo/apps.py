from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "chitra.demo"
    label = "demo"
