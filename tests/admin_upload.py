"""Helpers for the admin import pages' tests: post a file as the upload form does; log in staff."""

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

PASSWORD = "pw-123456"


def upload(client, url_name, data, name, **fields):
    """POST ``data`` as the file field of the import page named ``url_name``; return the page
    the editor ends on: the job's page, where (the test task backend runs the import at once)
    the report already is, or the form again when the upload itself was refused."""
    return client.post(
        reverse(url_name), {"file": SimpleUploadedFile(name, data), **fields}, follow=True
    )


def log_in_staff(client, django_user_model, *codenames, username="reader"):
    """Log in a user whose group may use the admin and holds only the given permissions."""
    user = django_user_model.objects.create_user(username, password=PASSWORD)
    group = Group.objects.create(name=f"{username}-group")
    group.permissions.add(
        *Permission.objects.filter(codename__in=("access_admin", *codenames)).order_by("pk")
    )
    user.groups.add(group)
    client.login(username=username, password=PASSWORD)
    return user
