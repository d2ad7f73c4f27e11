"""ember.vision.ops: detection primitives with torchvision.ops semantics, on NumPy arrays.

Box conversions and pairwise IoU/GIoU/DIoU/CIoU, NMS (hard, batched, soft), anchors, box coding
and IoU matching (TOPICS.md 1.16), plus the differentiable RoI pool / RoI Align, spatial pyramid
pooling and the GIoU/DIoU/CIoU losses.
"""
from __future__ import annotations

from .anchors import AnchorGenerator
from .box_coder import BoxCoder
from .boxes import (box_area, box_area_inclusive, box_convert, box_iou, box_iou_inclusive,
                    clip_boxes_to_image, complete_box_iou, distance_box_iou, generalized_box_iou,
                    remove_small_boxes)
from .matcher import Matcher
from .nms import batched_nms, nms, soft_nms
from .focal_loss import sigmoid_focal_loss
from .iou_loss import complete_box_iou_loss, distance_box_iou_loss, generalized_box_iou_loss
from .roi import RoIAlign, RoIPool, roi_align, roi_pool
from .spp import SpatialPyramidPooling, spatial_pyramid_pool
from .deform_conv import DeformConv2d, deform_conv2d

__all__ = ["sigmoid_focal_loss", "AnchorGenerator", "BoxCoder", "Matcher", "box_area", "box_area_inclusive",
           "box_convert", "box_iou", "box_iou_inclusive", "clip_boxes_to_image",
           "complete_box_iou", "distance_box_iou", "generalized_box_iou", "remove_small_boxes",
           "batched_nms", "nms", "soft_nms", "complete_box_iou_loss", "distance_box_iou_loss",
           "generalized_box_iou_loss", "RoIAlign", "RoIPool", "roi_align", "roi_pool",
           "SpatialPyramidPooling", "spatial_pyramid_pool", "DeformConv2d", "deform_conv2d"]
