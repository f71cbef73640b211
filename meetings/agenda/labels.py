"""Names of states, kinds and actions, marked for translation."""

from meetings.i18n import N_

STATES = {
    "draft": N_("draft"),
    "scheduled": N_("scheduled"),
    "in_session": N_("in session"),
    "closed": N_("closed"),
    "archived": N_("archived"),
    "cancelled": N_("cancelled"),
    "postponed": N_("postponed"),
}
ACTIONS = {
    "publish": N_("published"),
    "open": N_("opened"),
    "close": N_("closed"),
    "archive": N_("archived"),
    "cancel": N_("cancelled"),
    "postpone": N_("postponed"),
    "reschedule": N_("rescheduled"),
}
KINDS = {
    "regular": N_("Regular meeting"),
    "thematic": N_("Thematic meeting"),
    "extraordinary": N_("Extraordinary meeting"),
    "online": N_("Online conference with bridge points"),
}
ITEM_STATUSES = {
    "pending": N_("Pending"),
    "current": N_("Current"),
    "done": N_("Done"),
    "deferred": N_("Deferred"),
    "withdrawn": N_("Withdrawn"),
}
POSITIONS = {
    "no_objection": N_("No objection"),
    "objection": N_("Objection"),
    "wish_to_speak": N_("Wish to speak"),
}
