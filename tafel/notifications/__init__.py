"""Notifications: in-app messages, their mail and the daily digest."""

from tafel.notifications import services  # noqa: F401 - connects the mail-preference receiver
