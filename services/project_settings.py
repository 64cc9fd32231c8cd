"""api.v1.project.settings.Service (license information; settings come with registries)."""

from __future__ import annotations

from rigd.proto.api.v1.project import project_pb2
from rigd.proto.api.v1.project.settings import service_pb2 as pb
from rigd.services.calls import Call

SERVICE = "api.v1.project.settings.Service"


class ProjectSettingsServicer:
    def GetLicenseInfo(
        self, request: pb.GetLicenseInfoRequest, call: Call
    ) -> pb.GetLicenseInfoResponse:
        # A self-hosted rigd has no license: the free plan, with no expiry.
        return pb.GetLicenseInfoResponse(plan=project_pb2.PLAN_FREE)
