from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class BcryptHashingConfig(_message.Message):
    __slots__ = ("cost",)
    COST_FIELD_NUMBER: _ClassVar[int]
    cost: int
    def __init__(self, cost: _Optional[int] = ...) -> None: ...

class BcryptHashingInstance(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ScryptHashingConfig(_message.Message):
    __slots__ = ("signer_key", "salt_separator", "rounds", "mem_cost", "p", "key_len")
    SIGNER_KEY_FIELD_NUMBER: _ClassVar[int]
    SALT_SEPARATOR_FIELD_NUMBER: _ClassVar[int]
    ROUNDS_FIELD_NUMBER: _ClassVar[int]
    MEM_COST_FIELD_NUMBER: _ClassVar[int]
    P_FIELD_NUMBER: _ClassVar[int]
    KEY_LEN_FIELD_NUMBER: _ClassVar[int]
    signer_key: str
    salt_separator: str
    rounds: int
    mem_cost: int
    p: int
    key_len: int
    def __init__(self, signer_key: _Optional[str] = ..., salt_separator: _Optional[str] = ..., rounds: _Optional[int] = ..., mem_cost: _Optional[int] = ..., p: _Optional[int] = ..., key_len: _Optional[int] = ...) -> None: ...

class ScryptHashingInstance(_message.Message):
    __slots__ = ("salt",)
    SALT_FIELD_NUMBER: _ClassVar[int]
    salt: bytes
    def __init__(self, salt: _Optional[bytes] = ...) -> None: ...

class HashingConfig(_message.Message):
    __slots__ = ("bcrypt", "scrypt")
    BCRYPT_FIELD_NUMBER: _ClassVar[int]
    SCRYPT_FIELD_NUMBER: _ClassVar[int]
    bcrypt: BcryptHashingConfig
    scrypt: ScryptHashingConfig
    def __init__(self, bcrypt: _Optional[_Union[BcryptHashingConfig, _Mapping]] = ..., scrypt: _Optional[_Union[ScryptHashingConfig, _Mapping]] = ...) -> None: ...

class HashingInstance(_message.Message):
    __slots__ = ("config", "hash", "bcrypt", "scrypt")
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    HASH_FIELD_NUMBER: _ClassVar[int]
    BCRYPT_FIELD_NUMBER: _ClassVar[int]
    SCRYPT_FIELD_NUMBER: _ClassVar[int]
    config: HashingConfig
    hash: bytes
    bcrypt: BcryptHashingInstance
    scrypt: ScryptHashingInstance
    def __init__(self, config: _Optional[_Union[HashingConfig, _Mapping]] = ..., hash: _Optional[bytes] = ..., bcrypt: _Optional[_Union[BcryptHashingInstance, _Mapping]] = ..., scrypt: _Optional[_Union[ScryptHashingInstance, _Mapping]] = ...) -> None: ...

class Pagination(_message.Message):
    __slots__ = ("offset", "limit", "descending")
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    DESCENDING_FIELD_NUMBER: _ClassVar[int]
    offset: int
    limit: int
    descending: bool
    def __init__(self, offset: _Optional[int] = ..., limit: _Optional[int] = ..., descending: _Optional[bool] = ...) -> None: ...
