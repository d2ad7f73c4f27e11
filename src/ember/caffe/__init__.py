"""Caffe's design in miniature (TOPICS §1.1): Blob + Layer + Net (the model), Solver + Proto
(the optimisation and the declarative definition).

A net is defined bottom-up from the data layer to the loss layer as a dict/JSON "prototxt";
``Net`` builds it from a registry of layer types (ember nn modules underneath), ``SGDSolver``
trains it with Caffe's learning-rate policies and snapshots. Adding a layer Caffe-style =
write a builder, register it under a type name (``register_layer``), give it a gradient test.
"""
from .blob import Blob
from .layers import LAYER_TYPES, register_layer
from .net import Net
from .proto import parse_net, parse_solver
from .solver import SGDSolver

__all__ = ["Blob", "LAYER_TYPES", "register_layer", "Net", "parse_net", "parse_solver",
           "SGDSolver"]
