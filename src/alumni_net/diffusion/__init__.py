"""Diffusion measures from observed adoption times, as netdiffuseR computes them.

Build a :class:`DiffusionData` from a dataset with :func:`diffusion_data` (which checks the
adoption times with :func:`require_adoption_times`), then:

* :func:`adoption_curve` - new and cumulative adopters, share and hazard rate per period (by group);
* :func:`exposure` - each person's count and share of contacts who had adopted, per period;
* :func:`thresholds` - exposure in the period of adoption;
* :func:`moran_by_period` - Moran's I of adoption with 1/geodesic weights (netdiffuseR's summary);
* :func:`structural_dependence_test` - seeded permutation or rewiring test (netdiffuseR's
  ``struct_test``), within groups and schedules when asked;
* :func:`degree_adoption` - correlation of degree with time of adoption, bootstrap intervals
  (netdiffuseR's ``degree_adoption_diagnostic``);
* :func:`exposure_regression` - the lagged cohesion and structural-equivalence exposure logit
  (netdiffuseR's ``diffreg``; Burt 1987, Valente 1995).

Ties follow the package's influence direction (``influence="target_to_source"`` by default:
"source named target" data expose the nominator to whom they named). Stage 3: imports only the
core, ``io`` and ``graph``-level modules. :mod:`alumni_net.diffusion.ckm` holds the
Coleman-Katz-Menzel reproduction.

References
----------
Burt, R. S. (1987). Social contagion and innovation: cohesion versus structural equivalence.
American Journal of Sociology 92(6), 1287-1335. https://doi.org/10.1086/228667

Valente, T. W. (1995). Network Models of the Diffusion of Innovations. Hampton Press.
"""

from alumni_net.diffusion.curves import adoption_curve, hazard_rate
from alumni_net.diffusion.data import (
    DiffusionData,
    diffusion_data,
    influence_matrix,
    require_adoption_times,
)
from alumni_net.diffusion.degree import degree_adoption
from alumni_net.diffusion.exposure import (
    exposure,
    exposure_counts,
    threshold_summary,
    thresholds,
)
from alumni_net.diffusion.moran import MoranResult, geodesic_weights, moran_by_period, moran_i
from alumni_net.diffusion.regression import (
    ExposureRegression,
    exposure_regression,
    structural_equivalence,
)
from alumni_net.diffusion.struct_test import (
    StructTestResult,
    group_blocks,
    mean_threshold,
    structural_dependence_test,
)

__all__ = [
    "DiffusionData",
    "ExposureRegression",
    "MoranResult",
    "StructTestResult",
    "adoption_curve",
    "degree_adoption",
    "diffusion_data",
    "exposure",
    "exposure_counts",
    "exposure_regression",
    "geodesic_weights",
    "group_blocks",
    "hazard_rate",
    "influence_matrix",
    "mean_threshold",
    "moran_by_period",
    "moran_i",
    "require_adoption_times",
    "structural_dependence_test",
    "structural_equivalence",
    "threshold_summary",
    "thresholds",
]
