"""Clustering: K-Means, mini-batch K-Means, agglomerative (hierarchical) clustering, DBSCAN."""

from ._agglomerative import AgglomerativeClustering, dendrogram, fcluster, linkage
from ._dbscan import DBSCAN
from ._kmeans import KMeans, MiniBatchKMeans, kmeans_plusplus

__all__ = [
    "KMeans",
    "MiniBatchKMeans",
    "kmeans_plusplus",
    "AgglomerativeClustering",
    "linkage",
    "fcluster",
    "dendrogram",
    "DBSCAN",
]
