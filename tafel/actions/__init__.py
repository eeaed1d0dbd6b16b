"""Action items and their progress: models, forms, views, services, queries
(lists, a decision's implementation), policies, closing a report (`closing`)
and the ministry scoreboard (`scoreboard`, `scoreboard_views`)."""
