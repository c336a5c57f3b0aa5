"""The application models the trace captures, registered from `ApplicationsConfig.ready()`.

An application's opinions and objections show in the application's history panel. The
application's own steps (`ApplicationEvent`) are its timeline, not traced again; the frozen
snapshot never changes after it is written, so it is not traced either.
"""

from __future__ import annotations

from typing import Any

from wenming.trace.registry import cached_relation


def _batch(batch: Any) -> str:
    return f"{batch.year}年 {batch.title}"


def _application(application: Any) -> str:
    unit = cached_relation(application, "unit")
    batch = cached_relation(application, "batch")
    name = str(unit) if unit is not None else "单位"
    return f"{name} 申报{batch.honour_title}" if batch is not None else f"{name} 申报"


def _of_application(record: Any, what: str) -> str:
    application = cached_relation(record, "application")
    return f"{_application(application)} {what}" if application is not None else what


def _opinion(opinion: Any) -> str:
    body = opinion.body_name or opinion.get_body_display()
    return _of_application(opinion, f"{body}意见")


def _objection(objection: Any) -> str:
    return _of_application(objection, f"{objection.received_on} 公示异议")


def register_with_trace() -> None:
    from wenming.applications import access
    from wenming.applications.models import Application, Batch, Objection, Opinion
    from wenming.trace.access import register_history
    from wenming.trace.registry import register

    # The document itself is the decision's file; its number or title is traced.
    register(
        Batch,
        kind="application_batch",
        unit="office",
        ignore={"decision_document"},
        describe=_batch,
    )
    register(
        Application,
        kind="application",
        unit="unit",
        ignore={
            "batch",
            "entry",
            "unit",
            "eligibility",
            "frozen_at",
            # Shown by what they decide: the totals, the status.
            "self_round",
            "field_round",
            "honour",
        },
        describe=_application,
    )
    register(
        Opinion,
        kind="application_opinion",
        # Kept with the office, not the applicant: the unit does not read what other
        # bodies said about it (the application page shows the office what it needs).
        unit="application.batch.office",
        ignore={"application"},
        describe=_opinion,
    )
    register(
        Objection,
        kind="app_objection",
        # Kept with the office, not the applicant: the unit does not read what other
        # bodies said about it (the application page shows the office what it needs).
        unit="application.batch.office",
        ignore={"application"},
        describe=_objection,
    )
    register_history("application_batch", access.get_batch_for_user)
    register_history("application", access.get_application_for_user)
