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
    STAGE_STATE_ONGOING: _ClassVar[StageState]
    STAGE_STATE_FAILED: _ClassVar[StageState]
    STAGE_STATE_DONE: _ClassVar[StageState]
    STAGE_STATE_RUNNING: _ClassVar[StageState]

class ContainerType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONTAINER_TYPE_UNSPECIFIED: _ClassVar[ContainerType]
    CONTAINER_TYPE_MAIN: _ClassVar[ContainerType]
    CONTAINER_TYPE_SIDECAR: _ClassVar[ContainerType]
    CONTAINER_TYPE_INIT: _ClassVar[ContainerType]

class StepState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STEP_STATE_UNSPECIFIED: _ClassVar[StepState]
    STEP_STATE_ONGOING: _ClassVar[StepState]
    STEP_STATE_FAILED: _ClassVar[StepState]
    STEP_STATE_DONE: _ClassVar[StepState]
    STEP_STATE_RUNNING: _ClassVar[StepState]

class PlacementState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SCHEDULING_STATE_UNSPECIFIED: _ClassVar[PlacementState]
    SCHEDULING_STATE_UNSCHEDULEABLE: _ClassVar[PlacementState]
    SCHEDULING_STATE_DONE: _ClassVar[PlacementState]

class ImagePullingState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IMAGE_PULLING_STATE_UNSPECIFIED: _ClassVar[ImagePullingState]
    IMAGE_PULLING_STATE_PULLING: _ClassVar[ImagePullingState]
    IMAGE_PULLING_STATE_ERROR: _ClassVar[ImagePullingState]
    IMAGE_PULLING_STATE_BACK_OFF: _ClassVar[ImagePullingState]
    IMAGE_PULLING_STATE_DONE: _ClassVar[ImagePullingState]

class ReadyState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    READY_STATE_UNSPECIFIED: _ClassVar[ReadyState]
    READY_STATE_CRASH_LOOP_BACKOFF: _ClassVar[ReadyState]
    READY_STATE_NOT_READY: _ClassVar[ReadyState]
    READY_STATE_READY: _ClassVar[ReadyState]
STAGE_STATE_UNSPECIFIED: StageState
STAGE_STATE_ONGOING: StageState
STAGE_STATE_FAILED: StageState
STAGE_STATE_DONE: StageState
STAGE_STATE_RUNNING: StageState
CONTAINER_TYPE_UNSPECIFIED: ContainerType
CONTAINER_TYPE_MAIN: ContainerType
CONTAINER_TYPE_SIDECAR: ContainerType
CONTAINER_TYPE_INIT: ContainerType
STEP_STATE_UNSPECIFIED: StepState
STEP_STATE_ONGOING: StepState
STEP_STATE_FAILED: StepState
STEP_STATE_DONE: StepState
STEP_STATE_RUNNING: StepState
SCHEDULING_STATE_UNSPECIFIED: PlacementState
SCHEDULING_STATE_UNSCHEDULEABLE: PlacementState
SCHEDULING_STATE_DONE: PlacementState
IMAGE_PULLING_STATE_UNSPECIFIED: ImagePullingState
IMAGE_PULLING_STATE_PULLING: ImagePullingState
IMAGE_PULLING_STATE_ERROR: ImagePullingState
IMAGE_PULLING_STATE_BACK_OFF: ImagePullingState
IMAGE_PULLING_STATE_DONE: ImagePullingState
READY_STATE_UNSPECIFIED: ReadyState
READY_STATE_CRASH_LOOP_BACKOFF: ReadyState
READY_STATE_NOT_READY: ReadyState
READY_STATE_READY: ReadyState

class Status(_message.Message):
    __slots__ = ("instance_id", "stages", "rollout_id", "image", "created_at")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    ROLLOUT_ID_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    stages: Stages
    rollout_id: int
    image: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, instance_id: _Optional[str] = ..., stages: _Optional[_Union[Stages, _Mapping]] = ..., rollout_id: _Optional[int] = ..., image: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Stages(_message.Message):
    __slots__ = ("schedule", "preparing", "running", "deleted")
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    PREPARING_FIELD_NUMBER: _ClassVar[int]
    RUNNING_FIELD_NUMBER: _ClassVar[int]
    DELETED_FIELD_NUMBER: _ClassVar[int]
    schedule: SchedulingStage
    preparing: PreparingStage
    running: RunningStage
    deleted: DeletedStage
    def __init__(self, schedule: _Optional[_Union[SchedulingStage, _Mapping]] = ..., preparing: _Optional[_Union[PreparingStage, _Mapping]] = ..., running: _Optional[_Union[RunningStage, _Mapping]] = ..., deleted: _Optional[_Union[DeletedStage, _Mapping]] = ...) -> None: ...

class StageInfo(_message.Message):
    __slots__ = ("name", "updated_at", "state")
    NAME_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    name: str
    updated_at: _timestamp_pb2.Timestamp
    state: StageState
    def __init__(self, name: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[_Union[StageState, str]] = ...) -> None: ...

class SchedulingStage(_message.Message):
    __slots__ = ("info", "steps")
    INFO_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    info: StageInfo
    steps: _containers.RepeatedCompositeFieldContainer[SchedulingStep]
    def __init__(self, info: _Optional[_Union[StageInfo, _Mapping]] = ..., steps: _Optional[_Iterable[_Union[SchedulingStep, _Mapping]]] = ...) -> None: ...

class SchedulingStep(_message.Message):
    __slots__ = ("generic", "placement")
    GENERIC_FIELD_NUMBER: _ClassVar[int]
    PLACEMENT_FIELD_NUMBER: _ClassVar[int]
    generic: GenericStep
    placement: PlacementStep
    def __init__(self, generic: _Optional[_Union[GenericStep, _Mapping]] = ..., placement: _Optional[_Union[PlacementStep, _Mapping]] = ...) -> None: ...

class PlacementStep(_message.Message):
    __slots__ = ("info", "node")
    INFO_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    info: StepInfo
    node: str
    def __init__(self, info: _Optional[_Union[StepInfo, _Mapping]] = ..., node: _Optional[str] = ...) -> None: ...

class GenericStep(_message.Message):
    __slots__ = ("info",)
    INFO_FIELD_NUMBER: _ClassVar[int]
    info: StepInfo
    def __init__(self, info: _Optional[_Union[StepInfo, _Mapping]] = ...) -> None: ...

class StepInfo(_message.Message):
    __slots__ = ("name", "message", "updated_at", "state", "container")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_FIELD_NUMBER: _ClassVar[int]
    name: str
    message: str
    updated_at: _timestamp_pb2.Timestamp
    state: StepState
    container: ContainerInfo
    def __init__(self, name: _Optional[str] = ..., message: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., state: _Optional[_Union[StepState, str]] = ..., container: _Optional[_Union[ContainerInfo, _Mapping]] = ...) -> None: ...

class ContainerInfo(_message.Message):
    __slots__ = ("name", "type")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    name: str
    type: ContainerType
    def __init__(self, name: _Optional[str] = ..., type: _Optional[_Union[ContainerType, str]] = ...) -> None: ...

class PreparingStage(_message.Message):
    __slots__ = ("info", "steps")
    INFO_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    info: StageInfo
    steps: _containers.RepeatedCompositeFieldContainer[PreparingStep]
    def __init__(self, info: _Optional[_Union[StageInfo, _Mapping]] = ..., steps: _Optional[_Iterable[_Union[PreparingStep, _Mapping]]] = ...) -> None: ...

class PreparingStep(_message.Message):
    __slots__ = ("generic", "image_pulling", "init_executing")
    GENERIC_FIELD_NUMBER: _ClassVar[int]
    IMAGE_PULLING_FIELD_NUMBER: _ClassVar[int]
    INIT_EXECUTING_FIELD_NUMBER: _ClassVar[int]
    generic: GenericStep
    image_pulling: ImagePullingStep
    init_executing: ExecutingStep
    def __init__(self, generic: _Optional[_Union[GenericStep, _Mapping]] = ..., image_pulling: _Optional[_Union[ImagePullingStep, _Mapping]] = ..., init_executing: _Optional[_Union[ExecutingStep, _Mapping]] = ...) -> None: ...

class ImagePullingStep(_message.Message):
    __slots__ = ("info", "state", "image")
    INFO_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    info: StepInfo
    state: ImagePullingState
    image: str
    def __init__(self, info: _Optional[_Union[StepInfo, _Mapping]] = ..., state: _Optional[_Union[ImagePullingState, str]] = ..., image: _Optional[str] = ...) -> None: ...

class RunningStage(_message.Message):
    __slots__ = ("info", "steps", "restarts", "last_container_termination")
    INFO_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    RESTARTS_FIELD_NUMBER: _ClassVar[int]
    LAST_CONTAINER_TERMINATION_FIELD_NUMBER: _ClassVar[int]
    info: StageInfo
    steps: _containers.RepeatedCompositeFieldContainer[RunningStep]
    restarts: int
    last_container_termination: ContainerTermination
    def __init__(self, info: _Optional[_Union[StageInfo, _Mapping]] = ..., steps: _Optional[_Iterable[_Union[RunningStep, _Mapping]]] = ..., restarts: _Optional[int] = ..., last_container_termination: _Optional[_Union[ContainerTermination, _Mapping]] = ...) -> None: ...

class RunningStep(_message.Message):
    __slots__ = ("generic", "ready", "executing")
    GENERIC_FIELD_NUMBER: _ClassVar[int]
    READY_FIELD_NUMBER: _ClassVar[int]
    EXECUTING_FIELD_NUMBER: _ClassVar[int]
    generic: GenericStep
    ready: ReadyStep
    executing: ExecutingStep
    def __init__(self, generic: _Optional[_Union[GenericStep, _Mapping]] = ..., ready: _Optional[_Union[ReadyStep, _Mapping]] = ..., executing: _Optional[_Union[ExecutingStep, _Mapping]] = ...) -> None: ...

class ReadyStep(_message.Message):
    __slots__ = ("info", "state", "failed_at", "fail_count")
    INFO_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    FAILED_AT_FIELD_NUMBER: _ClassVar[int]
    FAIL_COUNT_FIELD_NUMBER: _ClassVar[int]
    info: StepInfo
    state: ReadyState
    failed_at: _timestamp_pb2.Timestamp
    fail_count: int
    def __init__(self, info: _Optional[_Union[StepInfo, _Mapping]] = ..., state: _Optional[_Union[ReadyState, str]] = ..., failed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., fail_count: _Optional[int] = ...) -> None: ...

class ExecutingStep(_message.Message):
    __slots__ = ("info", "started_at", "finished_at", "restarts", "last_container_termination")
    INFO_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    RESTARTS_FIELD_NUMBER: _ClassVar[int]
    LAST_CONTAINER_TERMINATION_FIELD_NUMBER: _ClassVar[int]
    info: StepInfo
    started_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    restarts: int
    last_container_termination: ContainerTermination
    def __init__(self, info: _Optional[_Union[StepInfo, _Mapping]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., restarts: _Optional[int] = ..., last_container_termination: _Optional[_Union[ContainerTermination, _Mapping]] = ...) -> None: ...

class ContainerTermination(_message.Message):
    __slots__ = ("exit_code", "signal", "reason", "message", "started_at", "finished_at", "container_id")
    EXIT_CODE_FIELD_NUMBER: _ClassVar[int]
    SIGNAL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    CONTAINER_ID_FIELD_NUMBER: _ClassVar[int]
    exit_code: int
    signal: int
    reason: str
    message: str
    started_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    container_id: str
    def __init__(self, exit_code: _Optional[int] = ..., signal: _Optional[int] = ..., reason: _Optional[str] = ..., message: _Optional[str] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., container_id: _Optional[str] = ...) -> None: ...

class DeletedStage(_message.Message):
    __slots__ = ("info", "steps")
    INFO_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    info: StageInfo
    steps: _containers.RepeatedCompositeFieldContainer[DeletedStep]
    def __init__(self, info: _Optional[_Union[StageInfo, _Mapping]] = ..., steps: _Optional[_Iterable[_Union[DeletedStep, _Mapping]]] = ...) -> None: ...

class DeletedStep(_message.Message):
    __slots__ = ("generic",)
    GENERIC_FIELD_NUMBER: _ClassVar[int]
    generic: GenericStep
    def __init__(self, generic: _Optional[_Union[GenericStep, _Mapping]] = ...) -> None: ...
