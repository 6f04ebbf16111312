"""The demo accounts: a superuser and one member of each publishing group.

Passwords are random (``secrets.token_urlsafe``), shown once when the account is created or reset,
and never stored in the code. An existing account keeps its password unless a reset is asked for.
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

# username: (role shown in the summary, group, superuser, first name, last name)
ACCOUNTS = {
    "admin": ("超级管理员", None, True, "管理员", ""),
    "bianji": ("编辑", "编辑", False, "小编", "李"),
    "shenhe": ("审核", "审核", False, "审核员", "王"),
}


@dataclass
class AccountResult:
    username: str
    role: str
    password: str | None  # set only when it was created or reset in this run
    created: bool
    missing_group: str | None = None


def ensure_users(reset_passwords=False):
    """Create missing accounts; returns ``({username: User}, [AccountResult])``."""
    user_model = get_user_model()
    users, results = {}, []
    for username, (role, group_name, superuser, first_name, last_name) in ACCOUNTS.items():
        user = user_model.objects.filter(username=username).first()
        created = user is None
        password = None
        if created:
            user = user_model(
                username=username,
                email=f"{username}@example.com",
                first_name=first_name,
                last_name=last_name,
                is_staff=superuser,
                is_superuser=superuser,
            )
        if created or reset_passwords:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
        missing_group = None
        if group_name:
            group = Group.objects.filter(name=group_name).first()
            if group is None:
                missing_group = group_name
            else:
                user.groups.add(group)
        users[username] = user
        results.append(AccountResult(username, role, password, created, missing_group))
    return users, results
