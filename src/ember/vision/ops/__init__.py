"""ember.vision.ops: detection primitives with torchvision.ops semantics, on NumPy arrays.

Box conversions and pairwise IoU/GIoU/DIoU/CIoU, NMS (hard, batched, soft), anchors, box coding
and IoU matching (TOPICS.md 1.16). RoI pooling/align and the losses with backward need autograd
and live with the modules that use them.
"""
from __future__ import annotations

from .anchors import AnchorGenerator
from .box_coder import BoxCoder
from .boxes import (box_area, box_area_inclusive, box_convert, box_iou, box_iou_inclusive,
                    clip_boxes_to_image, complete_box_iou, distance_box_iou, generalized_box_iou,
                    remove_small_boxes)
from .matcher import Matcher
from .nms import batched_nms, nms, soft_nms

__all__ = ["AnchorGenerator", "BoxCoder", "Matcher", "box_area", "box_area_inclusive",
           "box_convert", "box_iou", "box_iou_inclusive", "clip_boxes_to_image",
           "complete_box_iou", "distance_box_iou", "generalized_box_iou", "remove_small_boxes",
           "batched_nms", "nms", "soft_nms"]
