"""Account state changes. Services flush and audit; the view commits.

Split along its seams: `registration` (new organisations, access requests),
`login` (throttled authentication, sessions), `password_changes` (changing and
resetting a password), `administration` (users, organisations, the mail
preference); `common` holds the refusal, the look-ups and audit snapshots.
Every name stays importable from `tafel.accounts.services`.
"""

from __future__ import annotations

from tafel.accounts.services.administration import (
    set_mail_preference,
    set_organisation_verified,
    update_organisation,
    update_user,
)
from tafel.accounts.services.common import (
    AccountError,
    find_organisation_by_kvk,
    find_user_by_email,
    open_access_request,
    org_snapshot,
    user_snapshot,
)
from tafel.accounts.services.login import (
    LoginResult,
    authenticate,
    end_all_sessions,
    throttle_state,
)
from tafel.accounts.services.password_changes import (
    change_password,
    request_password_reset,
    reset_password,
    valid_reset_token,
)
from tafel.accounts.services.registration import (
    decide_access_request,
    register_organisation,
    request_access,
)

__all__ = [
    "AccountError",
    "LoginResult",
    "authenticate",
    "change_password",
    "decide_access_request",
    "end_all_sessions",
    "find_organisation_by_kvk",
    "find_user_by_email",
    "open_access_request",
    "org_snapshot",
    "register_organisation",
    "request_access",
    "request_password_reset",
    "reset_password",
    "set_mail_preference",
    "set_organisation_verified",
    "throttle_state",
    "update_organisation",
    "update_user",
    "user_snapshot",
    "valid_reset_token",
]
