"""Logging in and out, and the front door that sends each person to their page."""
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render

from duban.org.models import Person

Role = Person.Role
HOME = {Role.HANDLER: "web:work", Role.UNIT_HEAD: "web:work", Role.DISPATCHER: "web:hotline",
        Role.SUPERVISOR: "web:oversight", Role.LEADER: "web:steward", Role.ADMIN: "web:oversight"}


def home(request):
    """Citizens get the public start page; staff their role's page."""
    if request.user.is_authenticated:
        return redirect(HOME.get(request.user.role, "web:work"))
    return render(request, "web/public/start.html")


login = auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True)
logout = auth_views.LogoutView.as_view()
