"""Counts for `duban stats`: firms, firms with a cadre, visits, requests open and closed."""
from duban.enterprises.models import Enterprise, EnterpriseRequest, Visit
from duban.ledger.machine import OPEN_STATES
from duban.ledger.models import State
from duban.org.models import Stewardship


def stats():
    names = Stewardship.objects.active().filter(kind=Stewardship.Kind.ENTERPRISE).values("subject")
    requests = EnterpriseRequest.objects.all()
    return [
        ("enterprises", "企业服务 Enterprise service", {
            "firms": ("企业 firms", Enterprise.objects.filter(active=True).count()),
            "firms_with_cadre": ("有包保干部的企业 firms with a cadre",
                                 Enterprise.objects.filter(active=True, name__in=names).count()),
            "visits": ("走访 visits", Visit.objects.count()),
            "requests_open": ("诉求（办理中） requests open", requests.filter(ticket__state__in=OPEN_STATES).count()),
            "requests_closed": ("诉求（已办结） requests closed", requests.filter(ticket__state=State.CLOSED).count()),
        }),
    ]
