"""Dates as the public reads them."""


def chinese_date(value):
    """2026年11月23日: how dates are written for the public."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""
