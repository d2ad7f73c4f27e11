"""Linear models: least squares, Ridge, Lasso, logistic regression, hinge-loss SGD (TOPICS.md 1.23)."""

from ._least_squares import Lasso, LinearRegression, Ridge
from ._logistic import LogisticRegression
from ._sgd import SGDClassifier

__all__ = ["LinearRegression", "Ridge", "Lasso", "LogisticRegression", "SGDClassifier"]
