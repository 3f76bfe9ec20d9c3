"""The choropleth's classes are mapclassify's, without importing it at run time: any
set of district values gets the same class breaks and the same class per value."""

import warnings

import mapclassify
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from app.maps.choropleth import MAX_CLASSES, classify

VALUES = st.lists(
    st.one_of(
        st.floats(min_value=0, max_value=500, allow_nan=False, width=32),
        st.integers(min_value=0, max_value=40).map(float),
    ),  # many ties, as counts have
    min_size=2,
    max_size=40,
)


def reference(values: list[float], scheme: str) -> tuple[list[int], list[float]]:
    y = np.asarray(values, dtype=float)
    k = min(MAX_CLASSES, len(np.unique(y)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = (
            mapclassify.Quantiles(y, k=k)
            if scheme == "quantile"
            else mapclassify.FisherJenks(y, k=k)
        )
    return [int(c) for c in result.yb], [float(b) for b in result.bins]


@settings(max_examples=150, deadline=None)
@given(values=VALUES, scheme=st.sampled_from(["natuerlich", "quantile"]))
def test_classes_agree_with_mapclassify(values, scheme):
    if len(set(values)) < 2:
        assert classify(values, scheme) == ([0] * len(values), [max(values)])
        return
    assert classify(values, scheme) == reference(values, scheme)


def test_the_six_districts_of_bochum_fall_into_natural_classes():
    # Kitas per 1,000 children under 6 in the six Stadtbezirke (the planning table)
    per_1000 = [10.5, 9.5, 10.4, 10.7, 10.2, 10.4]
    classes, bins = classify(per_1000, "natuerlich")
    assert bins == reference(per_1000, "natuerlich")[1]
    assert classes[1] == 0 and classes[3] == len(bins) - 1  # lowest and highest apart
