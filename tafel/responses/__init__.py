"""Ministry responses ("comply or explain"): models, forms, views, services
(drafting and review), queries (the queue, a report's response state),
reminders (the deadline mails), policies and the Atom feed (`feed_views`)."""
