"""The API of applications (申报): /api/v1/applications."""

from ninja import Router

router = Router(tags=["申报"])
