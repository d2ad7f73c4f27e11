"""ember.vision.detection: detection evaluation (VOC and COCO mAP) and, later, heads and losses."""
from __future__ import annotations

from .coco_eval import coco_evaluate
from .evaluator import DetectionEvaluator
from .voc_eval import voc_evaluate

__all__ = ["DetectionEvaluator", "coco_evaluate", "voc_evaluate"]
