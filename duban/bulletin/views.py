"""The bulletin pages, for the supervision office, leaders and dispatchers: a month's bulletin at a
glance with its downloads (/bulletins/?month=2026-10), and the files (/bulletins/2026-10.pdf)."""
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from duban.bulletin import content, files
from duban.bulletin.fonts import FontMissing
from duban.figures.figures import Period, PeriodError
from duban.lib.replica import reads_replica
from duban.org.models import Person
from duban.web.views.common import roles

Role = Person.Role
READERS = (Role.SUPERVISOR, Role.LEADER, Role.DISPATCHER)


def last_month():
    today = timezone.localdate()
    return Period.of_month(today.year, today.month).previous()


@roles(*READERS)
@reads_replica
def page(request):
    try:
        period = Period.month(request.GET["month"]) if request.GET.get("month") else last_month()
    except PeriodError as error:
        return render(request, "bulletin/page.html", {"error": str(error), "month": request.GET["month"]},
                      status=400)
    bulletin = content.gather(period, with_charts=False)
    return render(request, "bulletin/page.html", {
        "bulletin": bulletin, "period": period, "month": period.label,
        "previous": period.previous().label, "next": Period.of_month(period.end.year, period.end.month).label,
        "downloads": [(fmt, files.filename(period, fmt)) for fmt in files.FORMATS],
    })


@roles(*READERS)
@reads_replica
def download(request, month, format):
    try:
        period = Period.month(month)
    except PeriodError as error:
        raise Http404(str(error)) from None
    try:
        data = files.render(period, format)
    except FontMissing as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=files.CONTENT_TYPES[format])
    response["Content-Disposition"] = content_disposition_header(True, files.filename(period, format))
    return response
