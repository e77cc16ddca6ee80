"""Who is asking (their address) and how often: per-address limits kept in the cache."""
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

HOUR = 3600


def client_ip(request):
    """The client's address; behind TRUSTED_PROXIES proxies, the one the outermost of them saw."""
    hops = settings.TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def allow(request, bucket, per_hour):
    """Count one use of `bucket` by this client in the current hour; False once past the limit."""
    key = f"throttle:{bucket}:{client_ip(request)}:{int(time.time() // HOUR)}"
    cache.add(key, 0, timeout=HOUR)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=HOUR)
        count = 1
    return count <= per_hour


def limited(bucket, setting):
    """A view whose POSTs count against the hourly limit named by `setting`; 429 past it."""
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and not allow(request, bucket, getattr(settings, setting)):
                response = render(request, "web/too_many.html", status=429)
                response["Retry-After"] = str(HOUR - int(time.time()) % HOUR)  # the counters start again then
                return response
            return view(request, *args, **kwargs)
        return wrapper
    return decorate
