"""Kafka as the relay's sink (kafka-python): an idempotent producer with acks=all, and the
topic created on start with the configured partitions and replication.

A batch is sent whole, then flushed, then every send's acknowledgement is checked; any
failure (broker down, timeout) closes the producer, dropping whatever it still buffers,
and raises `SinkUnavailable`: the relay retries the batch from its stored position with a
fresh producer, so a message is never left to arrive after the retry's copies."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

from kafka import KafkaAdminClient, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from rigd.projections.relay import Message

log = logging.getLogger(__name__)

SEND_TIMEOUT = 10.0  # seconds a batch may take to be acknowledged before it counts as failed
CLIENT_ID = "rigd-relay"


class SinkUnavailable(Exception):
    """The broker did not acknowledge a batch (or a topic could not be created)."""


class KafkaSink:
    def __init__(self, bootstrap_servers: str, topic: str, partitions: int = 3, replication_factor: int = 1,
                 timeout: float = SEND_TIMEOUT) -> None:
        self._servers = [server.strip() for server in bootstrap_servers.split(",") if server.strip()]
        self.topic = topic
        self._partitions = partitions
        self._replication_factor = replication_factor
        self._timeout = timeout
        self._producer: KafkaProducer | None = None
        self._admin: KafkaAdminClient | None = None
        self._lock = threading.Lock()  # the probe and the publisher share the admin client

    def producer_settings(self) -> dict[str, Any]:
        """The producer's settings: idempotent (the broker drops a retried send it already
        has, and keeps order per partition with up to 5 requests in flight), acks from every
        in-sync replica, and failures reported within `timeout`."""
        timeout_ms = int(self._timeout * 1000)
        return {
            "bootstrap_servers": self._servers,
            "client_id": CLIENT_ID,
            "enable_idempotence": True,
            "acks": "all",
            "max_in_flight_requests_per_connection": 5,
            "linger_ms": 5,
            "request_timeout_ms": min(timeout_ms, 5000),
            "delivery_timeout_ms": timeout_ms,
            "max_block_ms": timeout_ms,
            "reconnect_backoff_max_ms": 1000,
        }

    def prepare(self) -> None:
        """Creates the topic unless it exists."""
        try:
            with self._lock:
                admin = self._admin_client()
                admin.create_topics([NewTopic(self.topic, self._partitions, self._replication_factor)])
                log.info("relay: created topic %s (%s partitions, replication %s)",
                             self.topic, self._partitions, self._replication_factor)
        except TopicAlreadyExistsError:
            pass
        except (KafkaError, OSError, ValueError) as error:
            self._drop_admin()
            raise SinkUnavailable(f"cannot create topic {self.topic!r}: {_reason(error)}") from None

    def publish(self, messages: Sequence[Message]) -> None:
        if not messages:
            return
        try:
            if self._producer is None:
                self.prepare()
                self._producer = KafkaProducer(**self.producer_settings())
            producer = self._producer
            sent = [producer.send(self.topic, key=message.key, value=message.value) for message in messages]
            producer.flush(timeout=self._timeout)
            for future in sent:
                future.get(timeout=self._timeout)
        except SinkUnavailable:
            raise
        except Exception as error:  # kafka-python raises its own errors, and assertion/OS errors
            self._drop_producer()
            raise SinkUnavailable(f"the broker did not acknowledge {len(messages)} events: {_reason(error)}") from None

    def reachable(self) -> bool:
        try:
            with self._lock:
                admin = self._admin_client()
                admin.describe_topics([self.topic])
            return True
        except Exception:
            self._drop_admin()
            return False

    def close(self) -> None:
        self._drop_producer()
        self._drop_admin()

    def _admin_client(self) -> KafkaAdminClient:
        if self._admin is None:
            timeout_ms = int(min(self._timeout, 5.0) * 1000)
            self._admin = KafkaAdminClient(bootstrap_servers=self._servers, client_id=CLIENT_ID,
                                           request_timeout_ms=timeout_ms, reconnect_backoff_max_ms=1000)
        return self._admin

    def _drop_producer(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            try:
                producer.close(timeout=0)
            except Exception:
                log.debug("relay: closing the producer failed", exc_info=True)

    def _drop_admin(self) -> None:
        admin, self._admin = self._admin, None
        if admin is not None:
            try:
                admin.close()
            except Exception:
                log.debug("relay: closing the admin client failed", exc_info=True)


def _reason(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
