"""Reads over competence centres and their services."""

from django.db import models


class CompetenceCentreQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("lead_chamber", "alliance")


class ServiceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_listing(self):
        return self.select_related("centre", "centre__lead_chamber")
