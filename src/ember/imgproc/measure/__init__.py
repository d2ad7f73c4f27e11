"""Connected components and region statistics."""
from ._label import component_stats, label

__all__ = ["component_stats", "label"]
