"""api.v1.authentication.Service: logins, tokens, registration, codes (rig-behavior 2, A.1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rigd.adapters.tokens import TokenClaims, TokenPair
from rigd.domain.errors import FailedPrecondition, InvalidArgument, NotFound, Unauthenticated
from rigd.domain.user_commands import Registration, UserCommands, UserUpdate
from rigd.domain.user_settings import UserSettingsCommands
from rigd.domain.users import REGISTERED_BY_SIGNUP
from rigd.domain.verification_codes import CodePurpose
from rigd.projections.user_settings import UserSettingsQueries
from rigd.projections.users import UserQueries
from rigd.proto.api.v1.authentication import service_pb2 as pb
from rigd.proto.api.v1.authentication import user_pb2 as auth_user
from rigd.proto.model import user_pb2 as model_user
from rigd.services.account_codes import AccountCodes, user_id_for
from rigd.services.calls import Call, ReadYourWrites
from rigd.services.logins import LoggedIn, Logins
from rigd.services.mapping import timestamp
from rigd.services.users import user_info

SERVICE = "api.v1.authentication.Service"
_KINDS = {"email": "email", "username": "username", "phone_number": "phone"}
REGISTER_DISABLED = "registration is turned off: an administrator creates users (user settings: allow_register)"
PHONE_UNSUPPORTED = "phone numbers cannot be verified: text messages are not supported"


def identifier_of(message: model_user.UserIdentifier, what: str = "identifier") -> tuple[str, str]:
    """(kind, value) of a model.UserIdentifier: kind "email", "username" or "phone"."""
    kind = message.WhichOneof("identifier")
    if kind is None or not getattr(message, kind):
        raise InvalidArgument(f"{what} must set username, email or phone_number")
    return _KINDS[kind], getattr(message, kind)


def token_message(pair: TokenPair) -> auth_user.Token:
    return auth_user.Token(access_token=pair.access_token, refresh_token=pair.refresh_token)


class AuthenticationServicer:
    def __init__(self, logins: Logins, codes: AccountCodes, users: UserCommands, user_queries: UserQueries,
                 settings: UserSettingsCommands, settings_queries: UserSettingsQueries,
                 current_token: Callable[[], TokenClaims | None],
                 settle: ReadYourWrites, view_settled: Callable[[int], Any]) -> None:
        self._logins = logins
        self._codes = codes
        self._users = users
        self._user_queries = user_queries
        self._settings = settings
        self._settings_queries = settings_queries
        self._current_token = current_token
        self._settle = settle
        self._view_settled = view_settled

    def Login(self, request: pb.LoginRequest, call: Call) -> pb.LoginResponse:
        method = request.WhichOneof("method")
        if method == "user_password":
            kind, value = identifier_of(request.user_password.identifier, "user_password.identifier")
            logged_in = self._logins.login_password(call.context(), kind, value, request.user_password.password)
        elif method == "client_credentials":
            credentials = request.client_credentials
            if not credentials.client_id or not credentials.client_secret:
                raise InvalidArgument("client_credentials must set client_id and client_secret")
            logged_in = self._logins.login_client(call.context(), credentials.client_id, credentials.client_secret)
        else:
            raise InvalidArgument("login needs user_password or client_credentials")
        return pb.LoginResponse(**self._logged_in(logged_in))

    def Logout(self, request: pb.LogoutRequest, call: Call) -> pb.LogoutResponse:
        self._logins.logout(call.context(), self._current_token())
        return pb.LogoutResponse()

    def Get(self, request: pb.GetRequest, call: Call) -> pb.GetResponse:
        user_id = self._caller(call)
        return pb.GetResponse(user_id=user_id, user_info=self._user_info(user_id))

    def Register(self, request: pb.RegisterRequest, call: Call) -> pb.RegisterResponse:
        if not self._settings.current()["allow_register"]:
            raise Unauthenticated(REGISTER_DISABLED)
        if request.WhichOneof("method") != "user_password":
            raise InvalidArgument("register needs user_password")
        kind, value = identifier_of(request.user_password.identifier, "user_password.identifier")
        field = {"phone": "phone_number"}.get(kind, kind)
        login_type = {"email": 1, "username": 3, "phone": 2}[kind]
        written, user_id = self._users.create(
            call.context(), [UserUpdate(field, value), UserUpdate("password", request.user_password.password)],
            registration=Registration(REGISTERED_BY_SIGNUP, login_type))
        self._settle(written, self._user_queries.read_models, call.deadline)
        self._codes.welcome(user_id)
        logged_in = self._logins.login_password(call.context(), kind, value, request.user_password.password)
        return pb.RegisterResponse(**self._logged_in(logged_in))

    def SendPasswordReset(self, request: pb.SendPasswordResetRequest, call: Call) -> pb.SendPasswordResetResponse:
        user_id = user_id_for(self._users, *identifier_of(request.identifier))
        return pb.SendPasswordResetResponse(token=self._codes.send(call.context(), user_id, CodePurpose.RESET_PASSWORD))

    def ResetPassword(self, request: pb.ResetPasswordRequest, call: Call) -> pb.ResetPasswordResponse:
        named = ""
        if request.identifier.WhichOneof("identifier") is not None:
            named = user_id_for(self._users, *identifier_of(request.identifier))
        written = self._codes.reset_password(call.context(), request.token, request.code, request.new_password, named)
        self._view_settled(written)
        return pb.ResetPasswordResponse()

    def Delete(self, request: pb.DeleteRequest, call: Call) -> pb.DeleteResponse:
        written = self._users.delete(call.context(), self._caller(call))
        self._settle(written, self._user_queries.read_models, call.deadline)
        self._view_settled(written)
        return pb.DeleteResponse()

    def RefreshToken(self, request: pb.RefreshTokenRequest, call: Call) -> pb.RefreshTokenResponse:
        if not request.refresh_token:
            raise InvalidArgument("refresh_token must be set")
        return pb.RefreshTokenResponse(token=token_message(self._logins.refresh(call.context(), request.refresh_token)))

    def GetAuthConfig(self, request: pb.GetAuthConfigRequest, call: Call) -> pb.GetAuthConfigResponse:
        settings = self._settings_queries.get()  # the read model: this RPC is the cheapest there is
        return pb.GetAuthConfigResponse(
            name="rigd", validate_password=True, login_types=list(settings["login_mechanisms"]),
            allows_register=bool(settings["allow_register"]))

    def VerifyEmail(self, request: pb.VerifyEmailRequest, call: Call) -> pb.VerifyEmailResponse:
        self._codes.verify_email(call.context(), request.token, request.code, request.email)
        return pb.VerifyEmailResponse()

    def VerifyPhoneNumber(self, request: pb.VerifyPhoneNumberRequest, call: Call) -> pb.VerifyPhoneNumberResponse:
        raise FailedPrecondition(PHONE_UNSUPPORTED)

    def SendVerificationEmail(
        self, request: pb.SendVerificationEmailRequest, call: Call
    ) -> pb.SendVerificationEmailResponse:
        user_id = user_id_for(self._users, *identifier_of(request.identifier))
        token = self._codes.send(call.context(), user_id, CodePurpose.VERIFY_EMAIL)
        return pb.SendVerificationEmailResponse(token=token)

    def _caller(self, call: Call) -> str:
        if not call.principal.user_id:
            raise FailedPrecondition("this call is for users: a service account has no user to act on")
        return call.principal.user_id

    def _logged_in(self, logged_in: LoggedIn) -> dict[str, Any]:
        if not logged_in.user_id:  # a service account: the CLI keeps its client id itself
            return {"token": token_message(logged_in.pair)}
        return {"token": token_message(logged_in.pair), "user_id": logged_in.user_id,
                "user_info": self._user_info(logged_in.user_id)}

    def _user_info(self, user_id: str) -> model_user.UserInfo:
        try:
            return user_info(self._user_queries.get(user_id))
        except NotFound:  # created moments ago, not read yet: the history knows it (without groups)
            user = self._users.load_live(user_id)
            return model_user.UserInfo(email=user.email, username=user.username, phone_number=user.phone_number,
                                       created_at=timestamp(user.created_on))
