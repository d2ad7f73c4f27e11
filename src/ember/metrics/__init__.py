"""ember.metrics: evaluation metrics on NumPy arrays (or tensors), sklearn names (TOPICS.md 1.20).

Functional metrics return floats/arrays; ``stateful`` accumulators (``update``/``compute``/
``reset``) serve training loops. Detection mAP lives in ``ember.vision.detection``.
"""
from __future__ import annotations

from .classification import (UndefinedMetricWarning, accuracy_score, confusion_matrix, f1_score,
                             fbeta_score, log_loss, precision_recall_fscore_support,
                             precision_score, recall_score, top_k_accuracy_score)
from .curves import (COCO_REC_THRESHOLDS, auc, average_precision_score, coco_ap,
                     coco_precision_at_recalls, interpolated_average_precision,
                     precision_recall_curve, roc_auc_score, roc_curve, voc_ap)
from .generative import fid_from_features, frechet_distance, inception_score
from .ranking import (average_precision_at_k, cumulative_gain, dcg_score, hit_rate_at_k,
                      mean_average_precision_at_k, mean_reciprocal_rank, ndcg_score,
                      precision_at_k, recall_at_k)
from .regression import (mean_absolute_error, mean_squared_error, peak_signal_noise_ratio,
                         r2_score, root_mean_squared_error)
from .stateful import (AUROC, Accuracy, AveragePrecision, ConfusionMatrix, F1Score,
                       MeanAbsoluteError, MeanMetric, MeanSquaredError, Metric, Precision, Recall)

__all__ = [
    "UndefinedMetricWarning", "accuracy_score", "confusion_matrix", "f1_score", "fbeta_score",
    "log_loss", "precision_recall_fscore_support", "precision_score", "recall_score",
    "top_k_accuracy_score", "COCO_REC_THRESHOLDS", "auc", "average_precision_score", "coco_ap",
    "coco_precision_at_recalls", "interpolated_average_precision", "precision_recall_curve",
    "roc_auc_score", "roc_curve", "voc_ap", "fid_from_features", "frechet_distance",
    "inception_score", "average_precision_at_k", "cumulative_gain", "dcg_score", "hit_rate_at_k",
    "mean_average_precision_at_k", "mean_reciprocal_rank", "ndcg_score", "precision_at_k",
    "recall_at_k", "mean_absolute_error", "mean_squared_error", "peak_signal_noise_ratio",
    "r2_score", "root_mean_squared_error", "AUROC", "Accuracy", "AveragePrecision",
    "ConfusionMatrix", "F1Score", "MeanAbsoluteError", "MeanMetric", "MeanSquaredError", "Metric",
    "Precision", "Recall",
]
