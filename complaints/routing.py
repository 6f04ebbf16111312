"""Which unit (承办单位) a new complaint goes to: the station of the merchant's business
district, else the county bureau of its region, else the city bureau above it."""

from .models import Unit


def unit_for(region, merchant=None):
    """The unit for a complaint about a merchant in ``region`` (a county), or None."""
    active = Unit.objects.filter(is_active=True)
    if merchant is not None and merchant.district_id:
        station = active.filter(level=Unit.Level.STATION, district_id=merchant.district_id).first()
        if station:
            return station
    county = active.filter(level=Unit.Level.COUNTY, region=region).first()
    if county:
        return county
    return active.filter(level=Unit.Level.CITY, region_id=region.parent_id).first()
