"""Cluster-level settings that shape the rendered objects (the Rig operator's configuration)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderOptions:
    """How a cluster serves ingress, and pulls images.

    `ingress_class_name`: the IngressClass of every Ingress ("" leaves it to the cluster's default).
    `cluster_issuer`: the cert-manager ClusterIssuer that signs each Ingress's TLS certificate.
    `disable_tls`: Ingresses without TLS. With neither an issuer nor TLS disabled, the cluster
    cannot serve an ingress, and a rollout asking for one is refused.
    `create_pull_secrets`: a capsule whose image's registry has credentials in the project
    settings gets an image pull Secret of them (Rig's cluster setting `createPullSecrets`)."""

    ingress_class_name: str = ""
    cluster_issuer: str = ""
    disable_tls: bool = False
    create_pull_secrets: bool = False

    @property
    def serves_ingress(self) -> bool:
        return self.disable_tls or bool(self.cluster_issuer)
