"""DetectionEvaluator: accumulate per-image detections, report VOC and COCO mAP, plot PR curves.

VOC2007 (11-point) and VOC2010+ (all-point) mAP@0.5 follow the devkit (``voc_eval``); the COCO
numbers equal pycocotools' ``COCOeval.stats`` (``coco_eval``). TOPICS.md 1.20, E34, E35.
"""
from __future__ import annotations

from typing import Any, Sequence

from ._inputs import parse_inputs
from .coco_eval import coco_evaluate
from .voc_eval import voc_evaluate

__all__ = ["DetectionEvaluator"]


class DetectionEvaluator:
    """Stateful detection evaluator (torchmetrics' ``MeanAveragePrecision`` input layout).

    Args:
        box_format: "xyxy", "xywh" or "cxcywh" for both predictions and targets.
        voc_inclusive: VOC IoU with +1 pixel areas (devkit) when True.
        max_detection_thresholds: COCO maxDets. Default: (1, 10, 100).

    Examples:
        >>> import numpy as np
        >>> ev = DetectionEvaluator()
        >>> ev.update([{"boxes": np.array([[0., 0, 10, 10]]), "scores": np.array([0.9]),
        ...             "labels": np.array([1])}],
        ...           [{"boxes": np.array([[0., 0, 10, 10]]), "labels": np.array([1])}])
        >>> r = ev.compute()
        >>> [round(r[k], 12) for k in ("map", "voc_map_50", "voc07_map_50")]
        [1.0, 1.0, 1.0]
    """

    def __init__(self, box_format: str = "xyxy", voc_inclusive: bool = True,
                 max_detection_thresholds: Sequence[int] = (1, 10, 100)) -> None:
        self.box_format = box_format
        self.voc_inclusive = voc_inclusive
        self.max_detection_thresholds = tuple(max_detection_thresholds)
        self.reset()

    def reset(self) -> None:
        """Forget every accumulated image."""
        self.preds: list[dict] = []
        self.target: list[dict] = []

    def update(self, preds: Sequence[dict], target: Sequence[dict]) -> None:
        """Add a batch of images: ``preds[i]`` = {"boxes", "scores", "labels"}, ``target[i]`` =
        {"boxes", "labels", optional "difficult", "iscrowd", "area"}; validated immediately."""
        parse_inputs(preds, target, self.box_format)
        self.preds.extend(preds)
        self.target.extend(target)

    def compute(self) -> dict[str, Any]:
        """COCO stats ("map", "map_50", ..., "mar_100", "map_per_class"), plus "voc_map_50" and
        "voc07_map_50" and their per-class APs ("voc_ap", "voc07_ap")."""
        if not self.preds:
            raise RuntimeError("DetectionEvaluator.compute() called before any update()")
        coco = coco_evaluate(self.preds, self.target, box_format=self.box_format,
                             max_detection_thresholds=self.max_detection_thresholds)
        out = {k: v for k, v in coco.items() if k not in ("precision", "recall")}
        for name, use_07 in (("voc", False), ("voc07", True)):
            voc = voc_evaluate(self.preds, self.target, use_07_metric=use_07,
                               inclusive=self.voc_inclusive, box_format=self.box_format)
            out[f"{name}_map_50"], out[f"{name}_ap"] = voc["map"], voc["ap"]
        return out

    def plot_pr_curves(self, iou_threshold: float = 0.5, fig: Any = None) -> Any:
        """Per-class precision-recall curves at ``iou_threshold`` (VOC matching), one line each.

        Returns a ``matplotlib.figure.Figure`` (no pyplot state is touched).
        """
        from matplotlib.figure import Figure

        voc = voc_evaluate(self.preds, self.target, iou_threshold=iou_threshold,
                           inclusive=self.voc_inclusive, box_format=self.box_format)
        fig = Figure(figsize=(5, 4)) if fig is None else fig
        ax = fig.add_subplot(1, 1, 1)
        for label, rec in voc["recall"].items():
            ax.step(rec, voc["precision"][label], where="post",
                    label=f"class {label}: AP {voc['ap'][label]:.3f}")
        ax.set(xlabel="recall", ylabel="precision", xlim=(0, 1), ylim=(0, 1.05),
               title=f"PR curves, IoU > {iou_threshold} (mAP {voc['map']:.3f})")
        ax.legend(fontsize=7, loc="lower left")
        return fig
