"""CART decision trees (TOPICS.md 1.23): Gini / entropy for classification, squared error for regression."""

from ._classes import DecisionTreeClassifier, DecisionTreeRegressor
from ._grow import Tree

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor", "Tree"]
