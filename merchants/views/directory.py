"""Placeholder: being built."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("todo", status=501)


scan_page = qr_png = qr_svg = poster = directory = district = _todo
