import time_machine

from breakroom.core.audit import record_event
from breakroom.core.models import AuditEvent, EventKind
from breakroom.workplaces.models import Site


@time_machine.travel("2026-11-28 23:30:00+00:00", tick=False)
def test_an_event_keeps_ids_and_the_day_only(site: Site) -> None:
    record_event(actor_id=7, kind=EventKind.SITE_SAVED, target=site)

    event = AuditEvent.objects.get()

    assert (event.actor_id, event.kind, event.target_type, event.target_id) == (
        7,
        "site.saved",
        "workplaces.site",
        str(site.pk),
    )
    # 23:30 UTC on 28 November is still the 28th in London (GMT in winter).
    assert str(event.day) == "2026-11-28"
    assert {field.name for field in AuditEvent._meta.get_fields()} == {
        "id",
        "actor_id",
        "kind",
        "target_type",
        "target_id",
        "day",
    }
