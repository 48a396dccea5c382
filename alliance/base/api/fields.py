"""Serializer fields and filters that refuse bad input with a 400 before it reaches a query."""

import datetime
import re
from collections.abc import Mapping

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import relations, serializers

_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,220}$")


class ManyRelatedField(relations.ManyRelatedField):
    """A list of related objects; an object ({}) is not a list, whatever DRF would make of it."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class SlugRelatedField(serializers.SlugRelatedField):
    """By slug; anything that cannot be a slug is `does_not_exist` without a query."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        for key in kwargs:
            if key in relations.MANY_RELATION_KWARGS:
                list_kwargs[key] = kwargs[key]
        return ManyRelatedField(**list_kwargs)

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not _SLUG.match(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:100])
        return super().to_internal_value(data)


class StrictBooleanField(forms.Field):
    """`true` / `false` (or 1 / 0); anything else is an error, never silently ignored."""

    default_error_messages = {"invalid": _("Kies true of false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        lowered = str(value).lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class BoundedIntegerFilter(django_filters.NumberFilter):
    """A whole number within PostgreSQL's integer range."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value=0, max_value=2**31 - 1, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)
        extend_schema_field({"type": "integer", "minimum": min_value, "maximum": max_value})(self)


# JSON bodies: each value must have the type the schema gives it. DRF would turn 0 into "0" and
# "1" into 1; a client that sends the wrong type should hear so, not have it guessed.


class _Strict:
    json_types: tuple = (str,)
    default_error_messages = {"wrong_type": _("Verkeerd type: verwacht %(expected)s.")}
    expected = "string"

    def to_internal_value(self, data):
        if (
            isinstance(data, bool)
            and bool not in self.json_types
            or not isinstance(data, self.json_types)
        ):
            self.fail("wrong_type", expected=self.expected)
        return super().to_internal_value(data)


class CharField(_Strict, serializers.CharField):
    pass


class EmailField(_Strict, serializers.EmailField):
    pass


class URLField(_Strict, serializers.URLField):
    pass


class RegexField(_Strict, serializers.RegexField):
    pass


class DecimalField(_Strict, serializers.DecimalField):
    """A decimal as a string ("45.00"), as the schema says and the answers show."""


class DateTimeField(_Strict, serializers.DateTimeField):
    pass


class IntegerField(_Strict, serializers.IntegerField):
    json_types = (int,)
    expected = "integer"


class BooleanField(_Strict, serializers.BooleanField):
    json_types = (bool,)
    expected = "boolean"

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("wrong_type", expected=self.expected)
        return data


class ChoiceField(_Strict, serializers.ChoiceField):
    pass


class _UTCDateTimeField(django_filters.fields.IsoDateTimeField):
    """ISO 8601 with any offset Python accepts, turned into UTC before PostgreSQL sees it (it
    refuses offsets beyond ±15:59); a moment outside the calendar is an error."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except (OverflowError, ValueError) as error:
            raise forms.ValidationError(
                _("Deze datum valt buiten het bereik."), code="range"
            ) from error


class DateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _UTCDateTimeField
