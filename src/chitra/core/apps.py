from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chitra.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from chitra.core.audit_actions import ACTIONS, register_actions

        register_actions(ACTIONS)
