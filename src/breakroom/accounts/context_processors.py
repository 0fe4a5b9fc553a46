"""What the navigation needs to know about the person signed in."""

from django.http import HttpRequest

from .models import Membership, Role, User


def roles(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"can_manage": False}
    return {
        "can_manage": user.is_admin
        or Membership.objects.filter(user=user, role=Role.ADMIN).exists()
    }
