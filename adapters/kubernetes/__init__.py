"""Kubernetes objects of a rollout: the platform's own and those the Rig operator derives."""

from rigd.adapters.kubernetes.ingress import IngressNotSupported
from rigd.adapters.kubernetes.options import RenderOptions
from rigd.adapters.kubernetes.rendering import KubernetesRenderer, render_objects

__all__ = ["IngressNotSupported", "KubernetesRenderer", "RenderOptions", "render_objects"]
