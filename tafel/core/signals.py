"""Events a lower feature announces and a higher one reacts to, so imports
only ever point down (see README, Architecture).

    organisation_renamed.send(org)          # accounts
    @organisation_renamed.connect           # submissions: re-index its reports

    mail_preference_changed.send(user, digest=False)   # accounts
    @mail_preference_changed.connect                   # notifications: send what waited
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# An organisation's name changed (sender: the Organisation, already flushed).
organisation_renamed = _signals.signal("organisation-renamed")

# A user chose between a daily digest and each message at once (sender: the
# User; keyword `digest`: the new choice). Notifications sends what waited for
# the digest when the user turns it off.
mail_preference_changed = _signals.signal("mail-preference-changed")

# A ministry response was published (sender: the Response, flushed; `actor`: the
# secretariat user). tafel.actions announces the response's action items.
response_published = _signals.signal("response-published")

# A meeting is being published (sender: the Meeting, flushed; `actor`: the
# user). tafel.progress freezes the figures of its "voortgang" items.
meeting_published = _signals.signal("meeting-published")

# A member's personal calendar feed is being built (sender: the User who owns
# it). Receivers return a list of icalendar Events to add: tafel.international
# adds the deadlines of the files that user may see.
calendar_feed_requested = _signals.signal("calendar-feed-requested")


# Minutes were approved (sender: the Meeting whose minutes they are, flushed;
# `actor`: who approved them). tafel.actions mails them to the members and to
# the submitters of the reports on the agenda, with the decisions and action items.
minutes_approved = _signals.signal("minutes-approved")
