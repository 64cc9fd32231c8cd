"""api.v1.project.settings.Service: the platform-wide docker registries, and license information."""

from __future__ import annotations

from rigd.domain.errors import InvalidArgument
from rigd.domain.images import RegistryCredentials
from rigd.domain.registry_settings import AddRegistry, DeleteRegistry, RegistrySettingsCommands, RegistryUpdate
from rigd.projections.registry_settings import RegistrySettingsQueries
from rigd.proto.api.v1.project import project_pb2
from rigd.proto.api.v1.project.settings import service_pb2 as pb
from rigd.proto.api.v1.project.settings import settings_pb2
from rigd.services.calls import Call, ReadYourWrites

SERVICE = "api.v1.project.settings.Service"


def registry_update(index: int, update: settings_pb2.Update) -> RegistryUpdate:
    kind = update.WhichOneof("field")
    if kind == "delete_docker_registry":
        return DeleteRegistry(update.delete_docker_registry)
    if kind == "add_docker_registry":
        add = update.add_docker_registry
        if add.WhichOneof("field") == "credentials":
            given = add.credentials
            return AddRegistry(add.host, credentials=RegistryCredentials(given.username, given.password, given.email))
        return AddRegistry(add.host, auth=add.auth)
    raise InvalidArgument(f"update {index} sets no field; set add_docker_registry or delete_docker_registry")


class ProjectSettingsServicer:
    def __init__(self, commands: RegistrySettingsCommands, queries: RegistrySettingsQueries,
                 settle: ReadYourWrites) -> None:
        self._commands = commands
        self._queries = queries
        self._settle = settle

    def GetSettings(self, request: pb.GetSettingsRequest, call: Call) -> pb.GetSettingsResponse:
        # hosts and secret ids only: the credentials never leave the event store sealed
        registries = [settings_pb2.DockerRegistry(secret_id=r.secret_id, host=r.host)
                      for r in self._queries.registries()]
        return pb.GetSettingsResponse(settings=settings_pb2.Settings(docker_registries=registries))

    def UpdateSettings(self, request: pb.UpdateSettingsRequest, call: Call) -> pb.UpdateSettingsResponse:
        updates = [registry_update(index, update) for index, update in enumerate(request.updates)]
        written = self._commands.update(call.context(), updates)
        if written:
            self._settle(written, self._queries.read_models, call.deadline)
        return pb.UpdateSettingsResponse()

    def GetLicenseInfo(
        self, request: pb.GetLicenseInfoRequest, call: Call
    ) -> pb.GetLicenseInfoResponse:
        # A self-hosted rigd has no license: the free plan, with no expiry.
        return pb.GetLicenseInfoResponse(plan=project_pb2.PLAN_FREE)
