"""行政区划代码 (administrative division codes) and their hierarchy: the one implementation.

A 6-digit code carries its own hierarchy: 430104 (岳麓区) lies in 430100 (长沙市), which lies in
430000 (湖南省). Everything that asks "which level is this code" or "which city holds it" asks
here; the region records themselves (names, parents) are ``merchants.Region``.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

CODE_RE = re.compile(r"^\d{6}$")


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("省级")
    CITY = 2, _("地级")
    COUNTY = 3, _("县级")


PROVINCE, CITY, COUNTY = RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY


def level_of(code):
    if code.endswith("0000"):
        return PROVINCE
    if code.endswith("00"):
        return CITY
    return COUNTY


def province_of(code):
    """The province a code lies in (itself for a province)."""
    return code[:2] + "0000"


def city_of(code):
    """The city a code lies in (itself for a city; for a province, a code that names no city)."""
    return code[:4] + "00"


def parent_code(code):
    level = level_of(code)
    if level == COUNTY:
        return city_of(code)
    if level == CITY:
        return province_of(code)
    return None


def code_prefix(code):
    """The prefix every code inside this region starts with (43, 4301, 430104)."""
    level = level_of(code)
    return code[:2] if level == PROVINCE else code[:4] if level == CITY else code
