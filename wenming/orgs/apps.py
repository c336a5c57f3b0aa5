from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "wenming.orgs"
    verbose_name = "组织与人员"

    def ready(self) -> None:
        from wenming.core import registry
        from wenming.orgs import cards

        registry.register_section("orgs", "组织机构", "orgs:tree")
        registry.register_nav(cards.nav)
        registry.register_card("places", cards.places_card)
