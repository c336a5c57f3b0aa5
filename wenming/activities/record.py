"""A person's record beyond activities: their study this year and their awards (先进典型),
for the person page and the API (a fixed number of queries)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from wenming.orgs.models import Organization


def person_extras(person: User, unit: Organization) -> dict[str, Any]:
    from wenming.activities import nominations, study

    year = timezone.localdate().year
    return {
        "study_year": year,
        "study": study.person_study(person, unit, year),
        "awards": list(nominations.awards_of(person, unit)),
    }
