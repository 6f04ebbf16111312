"""Adding the categories and districts a file names and the registry lacks (``--add-missing``).

Called inside the import's transaction, before the merchants are written: if anything after
fails, the names are gone with the rest. A district is added under the one county its rows
name (validation refuses one whose rows name two).
"""

from django.utils.translation import gettext as _

from merchants.models import BusinessCategory, BusinessDistrict

from .validation import MERCHANT_COLUMNS


def add(groups):
    """Create what ``groups`` (the validation's additions) name; ``{Missing: id}``."""
    ids = {}
    for group in groups:
        if group.field == "category":
            item, _created = BusinessCategory.objects.get_or_create(name=group.value)
        else:
            region = next(code for code in group.seen["regions"] if code)
            item, _created = BusinessDistrict.objects.get_or_create(
                name=group.value, defaults={"region_id": region}
            )
        ids[group.missing] = item.pk
    return ids


def resolve(records, ids):
    """Put the new ids where the records hold a ``Missing``."""
    names = [MERCHANT_COLUMNS["category"], MERCHANT_COLUMNS["district"]]
    for record in records:
        for name in names:
            value = record.fields.get(name)
            if value in ids:
                record.fields[name] = ids[value]


def describe(group):
    """新增行业类别“水果”, 新增所属商圈“河西新城”（430104）: a line of the report."""
    if group.field == "category":
        return _("新增行业类别“%(name)s”") % {"name": group.value}
    region = next((code for code in group.seen.get("regions", {}) if code), "")
    return _("新增所属商圈“%(name)s”（%(region)s）") % {"name": group.value, "region": region}
