"""Who is calling: an integration's API key, or a person signed in to the web pages.

Keys come as `Authorization: Bearer dbk_…` or `X-Api-Key: dbk_…`. Either way the caller acts as a
person (a key's service account), so the ledger's permissions apply unchanged.
"""
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from duban.intake import keys


class KeyBearer(HttpBearer):
    def authenticate(self, request, token):
        return _accept(request, keys.authenticate(token))


class KeyHeader(APIKeyHeader):
    param_name = "X-Api-Key"

    def authenticate(self, request, key):
        return _accept(request, keys.authenticate(key))


def _accept(request, key):
    if key is None:
        return None
    request.api_key = key
    return key.person


class Session(SessionAuth):
    """A signed-in person; unsafe methods need the CSRF token, as on the pages.

    Without a session there is nothing to protect, so the caller hears 401 (send a key), not a CSRF
    refusal; with one, a missing or wrong token is refused in the caller's language.
    """

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        try:
            return super()._get_key(request)
        except HttpError:
            raise HttpError(403, _("The CSRF token is missing or wrong: reload the page and try again.")) from None

    def authenticate(self, request, key):
        person = super().authenticate(request, key)
        if person is not None:
            request.api_key = None
        return person


CALLERS = [KeyBearer(), KeyHeader(), Session()]
