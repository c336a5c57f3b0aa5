from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "wenming.activities"
    label = "activities"
    verbose_name = "活动与志愿服务"

    def ready(self) -> None:
        from wenming.activities import departments, measures, nav
        from wenming.activities.demo import load_demo_activities
        from wenming.activities.nominations_demo import load_demo_nominations
        from wenming.activities.service_demo import load_demo_service
        from wenming.activities.study_demo import load_demo_study
        from wenming.core import registry
        from wenming.core.demo import campaign_step

        registry.register_section("activities", "活动", "activities:index")
        registry.extend("demo.load", campaign_step(load_demo_activities))
        registry.extend("demo.load", campaign_step(load_demo_service))
        registry.extend("demo.load", campaign_step(load_demo_study))
        registry.extend("demo.load", campaign_step(load_demo_nominations))
        registry.register_nav(nav.nav)
        # 达标测算 under each measured standard, on the scoring sheet and in the gap analysis.
        registry.extend("scoring.measured_by_standard", measures.by_standard)
        # The people side of each department beside its assessment.
        registry.extend("assessment.people", departments.assessment_facts)
