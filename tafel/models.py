"""Import every model so Base.metadata knows all tables (Alembic, tests)."""


def import_all() -> None:
    import tafel.accounts.models  # noqa: F401
    import tafel.accounts.tokens  # noqa: F401
    import tafel.actions.models  # noqa: F401
    import tafel.api.models  # noqa: F401
    import tafel.core.form_tokens  # noqa: F401
    import tafel.core.models  # noqa: F401
    import tafel.decisions.models  # noqa: F401
    import tafel.international.models  # noqa: F401
    import tafel.meetings.models  # noqa: F401
    import tafel.notifications.models  # noqa: F401
    import tafel.programmes.models  # noqa: F401
    import tafel.progress.models  # noqa: F401
    import tafel.reference.models  # noqa: F401
    import tafel.responses.models  # noqa: F401
    import tafel.submissions.models  # noqa: F401
    import tafel.voting.models  # noqa: F401
