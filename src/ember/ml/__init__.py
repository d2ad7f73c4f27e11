"""ember.ml: classical machine learning on NumPy arrays with scikit-learn's estimator contract.

Families (TOPICS.md 1.23): ``cluster`` (KMeans, MiniBatchKMeans, AgglomerativeClustering, DBSCAN),
``mixture`` (GaussianMixture), ``neighbors`` (KNN, KDTree), ``decomposition`` (PCA), ``svm`` (SVC),
``linear_model`` (LinearRegression, Ridge, Lasso, LogisticRegression, SGDClassifier),
``naive_bayes`` (GaussianNB), ``tree`` (CART), ``ensemble`` (Bagging, RandomForest, AdaBoost),
``hmm`` (CategoricalHMM, GaussianHMM, GMMHMM), ``metrics``, ``preprocessing``, ``datasets``.
Independent of ember's Tensor: inputs and outputs are plain float64 NumPy arrays.
"""

from ._base import BaseEstimator, NotFittedError, clone

__all__ = ["BaseEstimator", "NotFittedError", "clone"]
