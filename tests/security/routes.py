"""Every URL pattern of the project, found by walking the resolver from duban.urls."""
from django.urls import URLResolver, get_resolver


def patterns(resolvers=None, prefix=""):
    """(route, view) for every pattern under the root URLconf, the route spelt as its patterns are."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry.callback


def site_routes():
    """The routes of the site's own pages and endpoints (the Django admin apart: it has its own rule)."""
    return {route: view for route, view in patterns() if not route.startswith("admin/")}
