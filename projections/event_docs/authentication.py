"""Public event types of authentication: sessions, the login throttle and verification codes."""

from __future__ import annotations

from rigd.projections.event_docs import FIRST_PUBLISHED as _V2_ONLY
from rigd.projections.event_docs import Documented

_SESSION_EXPIRY = "When the session's current refresh token expires (RFC 3339)."

AUTHENTICATION: dict[str, Documented] = {
    "session.Created": Documented(
        "A user logged in: a session started (its id is the tokens' `jti`).",
        {"user_id": "The user the session belongs to.",
         "auth_method": "How the user logged in (e.g. `email_password`).",
         "expires_at": _SESSION_EXPIRY}, _V2_ONLY),
    "session.Renewed": Documented(
        "A session's tokens were refreshed: a new pair, the previous refresh token is spent.",
        {"generation": "The refresh generation now valid (a replayed older one ends the session).",
         "expires_at": _SESSION_EXPIRY}, _V2_ONLY),
    "session.Invalidated": Documented(
        "A session ended before its expiry: logout, a replayed refresh token, or its user went away.",
        {"user_id": "The user the session belonged to.", "reason": "Why it ended.",
         "expires_at": "Until when its tokens would otherwise have been accepted (RFC 3339)."}, _V2_ONLY),
    "login-throttle.Created": Documented(
        "The first failed login for an identifier (the identifier itself is never published).", {}, _V2_ONLY),
    "login-throttle.Failed": Documented(
        "A login with this identifier failed.", {"at": "When it failed (RFC 3339)."}, _V2_ONLY),
    "login-throttle.Locked": Documented(
        "Too many failed logins: logins with this identifier are refused for a while.",
        {"until": "When logins are accepted again (RFC 3339)."}, _V2_ONLY),
    "login-throttle.Succeeded": Documented(
        "A login with this identifier succeeded: the count starts over.", {}, _V2_ONLY),
    "verification-code.Created": Documented(
        "The first code of its purpose was issued to a user (the code itself is never published).",
        {"user_id": "The user the codes are for.", "purpose": "`verify_email` or `reset_password`."}, _V2_ONLY),
    "verification-code.Issued": Documented(
        "A verification or reset code was issued and mailed.",
        {"expires_at": "When the code stops being accepted (RFC 3339)."}, _V2_ONLY),
    "verification-code.Failed": Documented("A wrong code was entered.", {}, _V2_ONLY),
    "verification-code.Used": Documented("The code was entered correctly and is spent.", {}, _V2_ONLY),
}
