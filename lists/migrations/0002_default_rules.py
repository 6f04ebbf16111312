"""The two default rules, as issue 13 words them (README "红黑榜")."""

from django.db import migrations

CITY = 2

DEFAULT_RULES = [
    {
        "name": "市级消费投诉黑榜",
        "kind": "black",
        "window_months": 12,
        "scope_level": CITY,
        "min_complaints": 10,
        "success_rate_below": "60.0",
        "order": "complaints",
        "max_entries": 10,
        "display_months": 3,
    },
    {
        "name": "市级放心消费红榜",
        "kind": "red",
        "window_months": 12,
        "scope_level": CITY,
        "min_complaints": 0,
        "max_complaints": 2,
        "all_mediated_successfully": True,
        "pledge_whole_period": True,
        "no_suspension": True,
        "order": "scheme_time",
        "max_entries": 10,
        "display_months": 3,
    },
]


def add_rules(apps, schema_editor):
    ListRule = apps.get_model("lists", "ListRule")
    for rule in DEFAULT_RULES:
        ListRule.objects.get_or_create(name=rule["name"], version=1, defaults=rule)


def remove_rules(apps, schema_editor):
    ListRule = apps.get_model("lists", "ListRule")
    ListRule.objects.filter(name__in=[rule["name"] for rule in DEFAULT_RULES], used=False).delete()


class Migration(migrations.Migration):
    dependencies = [("lists", "0001_initial")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
