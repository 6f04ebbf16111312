"""Placeholder: being built."""

from django.http import HttpResponse


def index(request):
    return HttpResponse("todo", status=501)
