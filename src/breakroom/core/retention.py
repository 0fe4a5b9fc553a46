"""How long each kind of data is kept (UK GDPR: storage limitation, LAW.md).

Periods are counted from the coarse date each kind carries (a report's week, an
answer's day). The scheduled task in `public.tasks` applies them; this module only
says what they are, so a deployment can read them in one place.
"""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Retention:
    kind: str
    keep: datetime.timedelta
    why: str


REPORTS_AFTER_RESOLVED = Retention(
    "reports",
    datetime.timedelta(days=365),
    "a resolved report and its thread stay a year, for follow-up and the figures",
)
REPORTS_UNRESOLVED = Retention(
    "open reports",
    datetime.timedelta(days=730),
    "an unresolved report is deleted two years after it was sent",
)
ANSWERS = Retention(
    "check-in answers",
    datetime.timedelta(days=400),
    "answers are kept a little over a year; the counts in the rollups stay",
)
VERIFICATION_CODES = Retention(
    "verification codes", datetime.timedelta(days=1), "one-time codes are useless once expired"
)
AUDIT_LOG = Retention("audit log", datetime.timedelta(days=730), "who did what is kept two years")
FINISHED_TASKS = Retention(
    "finished background tasks",
    datetime.timedelta(0),
    "a task's row records when it was queued, close to when someone checked in or sent"
    " a report; once the task has finished nothing needs it",
)
