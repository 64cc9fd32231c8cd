import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StageState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STAGE_STATE_UNSPECIFIED: _ClassVar[StageState]
    STAGE_STATE_DEPLOYING: _ClassVar[StageState]
    STAGE_STATE_RUNNING: _ClassVar[StageState]
    STAGE_STATE_STOPPED: _ClassVar[StageState]

class StepState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STEP_STATE_UNSPECIFIED: _ClassVar[StepState]
    STEP_STATE_ONGOING: _ClassVar[StepState]
    STEP_STATE_FAILED: _ClassVar[StepState]
    STEP_STATE_DONE: _ClassVar[StepState]

class State(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STATE_UNSPECIFIED: _ClassVar[State]
    STATE_PREPARING: _ClassVar[State]
    STATE_CONFIGURE: _ClassVar[State]
    STATE_RESOURCE_CREATION: _ClassVar[State]
    STATE_RUNNING: _ClassVar[State]
    STATE_STOPPED: _ClassVar[State]

class Result(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RESULT_UNSPECIFIED: _ClassVar[Result]
    RESULT_REPLACED: _ClassVar[Result]
    RESULT_FAILED: _ClassVar[Result]
    RESULT_ABORTED: _ClassVar[Result]
    RESULT_ROLLBACK: _ClassVar[Result]

class ConfigureResult(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONFIGURE_RESULT_UNSPECIFIED: _ClassVar[ConfigureResult]
    CONFIGURE_RESULT_CREATED: _ClassVar[ConfigureResult]
    CONFIGURE_RESULT_UPDATED: _ClassVar[ConfigureResult]
    CONFIGURE_RESULT_NO_CHANGE: _ClassVar[ConfigureResult]
    CONFIGURE_RESULT_DELETED: _ClassVar[ConfigureResult]
STAGE_STATE_UNSPECIFIED: StageState
STAGE_STATE_DEPLOYING: StageState
STAGE_STATE_RUNNING: StageState
STAGE_STATE_STOPPED: StageState
STEP_STATE_UNSPECIFIED: StepState
STEP_STATE_ONGOING: StepState
STEP_STATE_FAILED: StepState
STEP_STATE_DONE: StepState
STATE_UNSPECIFIED: State
STATE_PREPARING: State
STATE_CONFIGURE: State
STATE_RESOURCE_CREATION: State
STATE_RUNNING: State
STATE_STOPPED: State
RESULT_UNSPECIFIED: Result
RESULT_REPLACED: Result
RESULT_FAILED: Result
RESULT_ABORTED: Result
RESULT_ROLLBACK: Result
CONFIGURE_RESULT_UNSPECIFIED: ConfigureResult
CONFIGURE_RESULT_CREATED: ConfigureResult
CONFIGURE_RESULT_UPDATED: ConfigureResult
CONFIGURE_RESULT_NO_CHANGE: ConfigureResult
CONFIGURE_RESULT_DELETED: ConfigureResult

class Status(_message.Message):
    __slots__ = ("rollout_id", "state", "stages", "updated_at", "result")
    ROLLOUT_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    rollout_id: int
    state: State
    stages: Stages
    updated_at: _timestamp_pb2.Timestamp
    result: Result
    def __init__(self, rollout_id: _Optional[int] = ..., state: _Optional[_Union[State, str]] = ..., stages: _Optional[_Union[Stages, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., result: _Optional[_Union[Result, str]] = ...) -> None: ...

class StageInfo(_message.Message):
    __slots__ = ("name", "updated_at", "state", "started_at")
    NAME_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    name: str
    updated_at: _timestamp_pb2.Timestamp
    state: StageState
    started_at: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[_Union[StageState, str]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GenericStep(_message.Message):
    __slots__ = ("info",)
    INFO_FIELD_NUMBER: _ClassVar[int]
    info: StepInfo
    def __init__(self, info: _Optional[_Union[StepInfo, _Mapping]] = ...) -> None: ...

class StepInfo(_message.Message):
    __slots__ = ("name", "message", "updated_at", "state", "started_at")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    name: str
    message: str
    updated_at: _timestamp_pb2.Timestamp
    state: StepState
    started_at: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., message: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[_Union[StepState, str]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Stages(_message.Message):
    __slots__ = ("configure", "resource_creation", "running")
    CONFIGURE_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_CREATION_FIELD_NUMBER: _ClassVar[int]
    RUNNING_FIELD_NUMBER: _ClassVar[int]
    configure: ConfigureStage
    resource_creation: ResourceCreationStage
    running: RunningStage
    def __init__(self, configure: _Optional[_Union[ConfigureStage, _Mapping]] = ..., resource_creation: _Optional[_Union[ResourceCreationStage, _Mapping]] = ..., running: _Optional[_Union[RunningStage, _Mapping]] = ...) -> None: ...

class ConfigureStage(_message.Message):
    __slots__ = ("info", "steps")
    INFO_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    info: StageInfo
    steps: _containers.RepeatedCompositeFieldContainer[ConfigureStep]
    def __init__(self, info: _Optional[_Union[StageInfo, _Mapping]] = ..., steps: _Optional[_Iterable[_Union[ConfigureStep, _Mapping]]] = ...) -> None: ...

class ConfigureStep(_message.Message):
    __slots__ = ("generic", "configure_capsule", "configure_file", "configure_env", "commit")
    GENERIC_FIELD_NUMBER: _ClassVar[int]
    CONFIGURE_CAPSULE_FIELD_NUMBER: _ClassVar[int]
    CONFIGURE_FILE_FIELD_NUMBER: _ClassVar[int]
    CONFIGURE_ENV_FIELD_NUMBER: _ClassVar[int]
    COMMIT_FIELD_NUMBER: _ClassVar[int]
    generic: GenericStep
    configure_capsule: ConfigureCapsuleStep
    configure_file: ConfigureFileStep
    configure_env: ConfigureEnvStep
    commit: ConfigureCommitStep
    def __init__(self, generic: _Optional[_Union[GenericStep, _Mapping]] = ..., configure_capsule: _Optional[_Union[ConfigureCapsuleStep, _Mapping]] = ..., configure_file: _Optional[_Union[ConfigureFileStep, _Mapping]] = ..., configure_env: _Optional[_Union[ConfigureEnvStep, _Mapping]] = ..., commit: _Optional[_Union[ConfigureCommitStep, _Mapping]] = ...) -> None: ...

class ConfigureCapsuleStep(_message.Message):
    __slots__ = ("info", "state")
    INFO_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    info: StepInfo
    state: ConfigureResult
    def __init__(self, info: _Optional[_Union[StepInfo, _Mapping]] = ..., state: _Optional[_Union[ConfigureResult, str]] = ...) -> None: ...

class ConfigureFileStep(_message.Message):
    __slots__ = ("info", "state", "path", "is_secret")
    INFO_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    IS_SECRET_FIELD_NUMBER: _ClassVar[int]
    info: StepInfo
    state: ConfigureResult
    path: str
    is_secret: bool
    def __init__(self, info: _Optional[_Union[StepInfo, _Mapping]] = ..., state: _Optional[_Union[ConfigureResult, str]] = ..., path: _Optional[str] = ..., is_secret: _Optional[bool] = ...) -> None: ...

class ConfigureEnvStep(_message.Message):
    __slots__ = ("info", "state", "is_secret")
    INFO_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    IS_SECRET_FIELD_NUMBER: _ClassVar[int]
    info: StepInfo
    state: ConfigureResult
    is_secret: bool
    def __init__(self, info: _Optional[_Union[StepInfo, _Mapping]] = ..., state: _Optional[_Union[ConfigureResult, str]] = ..., is_secret: _Optional[bool] = ...) -> None: ...

class ConfigureCommitStep(_message.Message):
    __slots__ = ("info", "commit_hash", "commit_url")
    INFO_FIELD_NUMBER: _ClassVar[int]
    COMMIT_HASH_FIELD_NUMBER: _ClassVar[int]
    COMMIT_URL_FIELD_NUMBER: _ClassVar[int]
    info: StepInfo
    commit_hash: str
    commit_url: str
    def __init__(self, info: _Optional[_Union[StepInfo, _Mapping]] = ..., commit_hash: _Optional[str] = ..., commit_url: _Optional[str] = ...) -> None: ...

class ResourceCreationStage(_message.Message):
    __slots__ = ("info", "steps")
    INFO_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    info: StageInfo
    steps: _containers.RepeatedCompositeFieldContainer[ResourceCreationStep]
    def __init__(self, info: _Optional[_Union[StageInfo, _Mapping]] = ..., steps: _Optional[_Iterable[_Union[ResourceCreationStep, _Mapping]]] = ...) -> None: ...

class ResourceCreationStep(_message.Message):
    __slots__ = ("generic", "create_resource")
    GENERIC_FIELD_NUMBER: _ClassVar[int]
    CREATE_RESOURCE_FIELD_NUMBER: _ClassVar[int]
    generic: GenericStep
    create_resource: CreateResourceStep
    def __init__(self, generic: _Optional[_Union[GenericStep, _Mapping]] = ..., create_resource: _Optional[_Union[CreateResourceStep, _Mapping]] = ...) -> None: ...

class CreateResourceStep(_message.Message):
    __slots__ = ("info", "kind", "name")
    INFO_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    info: StepInfo
    kind: str
    name: str
    def __init__(self, info: _Optional[_Union[StepInfo, _Mapping]] = ..., kind: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class RunningStage(_message.Message):
    __slots__ = ("info", "steps")
    INFO_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    info: StageInfo
    steps: _containers.RepeatedCompositeFieldContainer[RunningStep]
    def __init__(self, info: _Optional[_Union[StageInfo, _Mapping]] = ..., steps: _Optional[_Iterable[_Union[RunningStep, _Mapping]]] = ...) -> None: ...

class RunningStep(_message.Message):
    __slots__ = ("generic", "instances")
    GENERIC_FIELD_NUMBER: _ClassVar[int]
    INSTANCES_FIELD_NUMBER: _ClassVar[int]
    generic: GenericStep
    instances: InstancesStep
    def __init__(self, generic: _Optional[_Union[GenericStep, _Mapping]] = ..., instances: _Optional[_Union[InstancesStep, _Mapping]] = ...) -> None: ...

class InstancesStep(_message.Message):
    __slots__ = ("info", "num_updated", "num_ready", "num_stuck", "num_wrong_version")
    INFO_FIELD_NUMBER: _ClassVar[int]
    NUM_UPDATED_FIELD_NUMBER: _ClassVar[int]
    NUM_READY_FIELD_NUMBER: _ClassVar[int]
    NUM_STUCK_FIELD_NUMBER: _ClassVar[int]
    NUM_WRONG_VERSION_FIELD_NUMBER: _ClassVar[int]
    info: StepInfo
    num_updated: int
    num_ready: int
    num_stuck: int
    num_wrong_version: int
    def __init__(self, info: _Optional[_Union[StepInfo, _Mapping]] = ..., num_updated: _Optional[int] = ..., num_ready: _Optional[int] = ..., num_stuck: _Optional[int] = ..., num_wrong_version: _Optional[int] = ...) -> None: ...
