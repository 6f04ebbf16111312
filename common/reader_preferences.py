"""A reader's display preference (text size, 简/繁) kept in a cookie by a plain link.

Both switches work without JavaScript: the link sets the cookie and goes back to the page it
came from, never to another site.
"""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

ONE_YEAR = 365 * 24 * 60 * 60


def remember_and_return(request, cookie_name, value, *, httponly):
    """Redirect to ``?next=`` (or home, for an outside or missing address) setting the cookie."""
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(cookie_name, value, max_age=ONE_YEAR, samesite="Lax", httponly=httponly)
    return response
