"""Ensembles (TOPICS.md 1.23): bagging and random forests (variance reduction), AdaBoost (bias reduction)."""

from ._forest import BaggingClassifier, RandomForestClassifier, RandomForestRegressor
from ._gradient_boosting import GradientBoostingClassifier, GradientBoostingRegressor
from ._weight_boosting import AdaBoostClassifier, discrete_adaboost

__all__ = [
    "BaggingClassifier",
    "RandomForestClassifier",
    "RandomForestRegressor",
    "AdaBoostClassifier",
    "discrete_adaboost",
    "GradientBoostingClassifier",
    "GradientBoostingRegressor",
]
