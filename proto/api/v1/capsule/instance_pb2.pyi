import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class State(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STATE_UNSPECIFIED: _ClassVar[State]
    STATE_PENDING: _ClassVar[State]
    STATE_RUNNING: _ClassVar[State]
    STATE_SUCCEEDED: _ClassVar[State]
    STATE_FAILED: _ClassVar[State]
STATE_UNSPECIFIED: State
STATE_PENDING: State
STATE_RUNNING: State
STATE_SUCCEEDED: State
STATE_FAILED: State

class Instance(_message.Message):
    __slots__ = ("instance_id", "image_id", "state", "restart_count", "created_at", "started_at", "finished_at", "message", "rollout_id")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    IMAGE_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    RESTART_COUNT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    ROLLOUT_ID_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    image_id: str
    state: State
    restart_count: int
    created_at: _timestamp_pb2.Timestamp
    started_at: _timestamp_pb2.Timestamp
    finished_at: _timestamp_pb2.Timestamp
    message: str
    rollout_id: int
    def __init__(self, instance_id: _Optional[str] = ..., image_id: _Optional[str] = ..., state: _Optional[_Union[State, str]] = ..., restart_count: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., finished_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., message: _Optional[str] = ..., rollout_id: _Optional[int] = ...) -> None: ...

class InstanceStatus(_message.Message):
    __slots__ = ("message", "timestamps", "data", "stages")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    data: InstanceStatusData
    stages: InstanceStatusStages
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ..., data: _Optional[_Union[InstanceStatusData, _Mapping]] = ..., stages: _Optional[_Union[InstanceStatusStages, _Mapping]] = ...) -> None: ...

class InstanceStatusData(_message.Message):
    __slots__ = ("instance_id", "rollout_id", "image_name", "node")
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    ROLLOUT_ID_FIELD_NUMBER: _ClassVar[int]
    IMAGE_NAME_FIELD_NUMBER: _ClassVar[int]
    NODE_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    rollout_id: int
    image_name: str
    node: str
    def __init__(self, instance_id: _Optional[str] = ..., rollout_id: _Optional[int] = ..., image_name: _Optional[str] = ..., node: _Optional[str] = ...) -> None: ...

class InstanceStatusStages(_message.Message):
    __slots__ = ("schedule", "preparing", "running")
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    PREPARING_FIELD_NUMBER: _ClassVar[int]
    RUNNING_FIELD_NUMBER: _ClassVar[int]
    schedule: InstanceStatusScheduling
    preparing: InstanceStatusPreparing
    running: InstanceStatusRunning
    def __init__(self, schedule: _Optional[_Union[InstanceStatusScheduling, _Mapping]] = ..., preparing: _Optional[_Union[InstanceStatusPreparing, _Mapping]] = ..., running: _Optional[_Union[InstanceStatusRunning, _Mapping]] = ...) -> None: ...

class InstanceStatusScheduling(_message.Message):
    __slots__ = ("message", "timestamps", "stages")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    stages: InstanceStatusSchedulingStages
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ..., stages: _Optional[_Union[InstanceStatusSchedulingStages, _Mapping]] = ...) -> None: ...

class InstanceStatusSchedulingStages(_message.Message):
    __slots__ = ("currently_unscheduleable", "done")
    CURRENTLY_UNSCHEDULEABLE_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    currently_unscheduleable: CurrentlyUnscheduleable
    done: DoneScheduling
    def __init__(self, currently_unscheduleable: _Optional[_Union[CurrentlyUnscheduleable, _Mapping]] = ..., done: _Optional[_Union[DoneScheduling, _Mapping]] = ...) -> None: ...

class CurrentlyUnscheduleable(_message.Message):
    __slots__ = ("message", "timestamps")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ...) -> None: ...

class DoneScheduling(_message.Message):
    __slots__ = ("message", "timestamps")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ...) -> None: ...

class InstanceStatusPreparing(_message.Message):
    __slots__ = ("message", "timestamps", "stages")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    stages: InstanceStatusPreparingStages
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ..., stages: _Optional[_Union[InstanceStatusPreparingStages, _Mapping]] = ...) -> None: ...

class InstanceStatusPreparingStages(_message.Message):
    __slots__ = ("pulling",)
    PULLING_FIELD_NUMBER: _ClassVar[int]
    pulling: ImagePulling
    def __init__(self, pulling: _Optional[_Union[ImagePulling, _Mapping]] = ...) -> None: ...

class ImagePulling(_message.Message):
    __slots__ = ("message", "timestamps", "stages")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    stages: ImagePullingStages
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ..., stages: _Optional[_Union[ImagePullingStages, _Mapping]] = ...) -> None: ...

class ImagePullingStages(_message.Message):
    __slots__ = ("pulling", "error", "back_off", "done")
    PULLING_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    BACK_OFF_FIELD_NUMBER: _ClassVar[int]
    DONE_FIELD_NUMBER: _ClassVar[int]
    pulling: ImagePullingPulling
    error: ImagePullingError
    back_off: ImagePullingBackOff
    done: ImagePullingDone
    def __init__(self, pulling: _Optional[_Union[ImagePullingPulling, _Mapping]] = ..., error: _Optional[_Union[ImagePullingError, _Mapping]] = ..., back_off: _Optional[_Union[ImagePullingBackOff, _Mapping]] = ..., done: _Optional[_Union[ImagePullingDone, _Mapping]] = ...) -> None: ...

class ImagePullingPulling(_message.Message):
    __slots__ = ("message", "timestamps")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ...) -> None: ...

class ImagePullingError(_message.Message):
    __slots__ = ("message", "timestamps")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ...) -> None: ...

class ImagePullingBackOff(_message.Message):
    __slots__ = ("message", "timestamps")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ...) -> None: ...

class ImagePullingDone(_message.Message):
    __slots__ = ("message", "timestamps")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ...) -> None: ...

class InstanceStatusRunning(_message.Message):
    __slots__ = ("message", "timestamps", "stages", "data")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    stages: InstanceStatusRunningStages
    data: InstanceStatusRunningData
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ..., stages: _Optional[_Union[InstanceStatusRunningStages, _Mapping]] = ..., data: _Optional[_Union[InstanceStatusRunningData, _Mapping]] = ...) -> None: ...

class InstanceStatusRunningData(_message.Message):
    __slots__ = ("restarts",)
    RESTARTS_FIELD_NUMBER: _ClassVar[int]
    restarts: int
    def __init__(self, restarts: _Optional[int] = ...) -> None: ...

class InstanceStatusRunningStages(_message.Message):
    __slots__ = ("crash_loop_backoff", "ready", "running")
    CRASH_LOOP_BACKOFF_FIELD_NUMBER: _ClassVar[int]
    READY_FIELD_NUMBER: _ClassVar[int]
    RUNNING_FIELD_NUMBER: _ClassVar[int]
    crash_loop_backoff: CrashLoopBackoff
    ready: Ready
    running: Running
    def __init__(self, crash_loop_backoff: _Optional[_Union[CrashLoopBackoff, _Mapping]] = ..., ready: _Optional[_Union[Ready, _Mapping]] = ..., running: _Optional[_Union[Running, _Mapping]] = ...) -> None: ...

class CrashLoopBackoff(_message.Message):
    __slots__ = ("message", "timestamps", "data")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    data: CrashLoopBackoffData
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ..., data: _Optional[_Union[CrashLoopBackoffData, _Mapping]] = ...) -> None: ...

class CrashLoopBackoffData(_message.Message):
    __slots__ = ("termination",)
    TERMINATION_FIELD_NUMBER: _ClassVar[int]
    termination: ContainerStateTerminated
    def __init__(self, termination: _Optional[_Union[ContainerStateTerminated, _Mapping]] = ...) -> None: ...

class Running(_message.Message):
    __slots__ = ("message", "timestamps")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ...) -> None: ...

class Ready(_message.Message):
    __slots__ = ("message", "timestamps", "stages")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    stages: ReadyStages
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ..., stages: _Optional[_Union[ReadyStages, _Mapping]] = ...) -> None: ...

class ReadyStages(_message.Message):
    __slots__ = ("not_ready", "ready")
    NOT_READY_FIELD_NUMBER: _ClassVar[int]
    READY_FIELD_NUMBER: _ClassVar[int]
    not_ready: NotReady
    ready: InstanceReady
    def __init__(self, not_ready: _Optional[_Union[NotReady, _Mapping]] = ..., ready: _Optional[_Union[InstanceReady, _Mapping]] = ...) -> None: ...

class NotReady(_message.Message):
    __slots__ = ("message", "timestamps")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ...) -> None: ...

class InstanceReady(_message.Message):
    __slots__ = ("message", "timestamps")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMPS_FIELD_NUMBER: _ClassVar[int]
    message: str
    timestamps: StatusTimestamps
    def __init__(self, message: _Optional[str] = ..., timestamps: _Optional[_Union[StatusTimestamps, _Mapping]] = ...) -> None: ...

class ContainerStateTerminated(_message.Message):
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

class StatusTimestamps(_message.Message):
    __slots__ = ("entered", "updated", "exited")
    ENTERED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    EXITED_FIELD_NUMBER: _ClassVar[int]
    entered: _timestamp_pb2.Timestamp
    updated: _timestamp_pb2.Timestamp
    exited: _timestamp_pb2.Timestamp
    def __init__(self, entered: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., exited: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
