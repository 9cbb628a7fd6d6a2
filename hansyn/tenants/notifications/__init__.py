"""Notifications inside one municipality: in-app on every role's dashboard (read/unread per user)
and by e-mail through `hansyn.platform.mail` to those who have not turned e-mail off."""
