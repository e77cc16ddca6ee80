from duban.clock.calendar import runs_out_soon


def calendar_warning(request):
    """Staff pages warn CALENDAR_WARNING_DAYS before the working-day calendar runs out."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {}
    return {"calendar_warning": runs_out_soon()}
