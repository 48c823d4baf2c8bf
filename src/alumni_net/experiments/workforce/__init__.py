"""Estimating the workforce network nobody observed, from a survey of alumni.

What a programme can collect is an ego sample: each responding alum's own answers (sector,
region, role, how many people they work with inside and outside their organisation), up to a few
contacts outside the programme with their attributes and whether they know each other, and the
alumni they are in touch with. What the multiplier needs is the network three degrees out from
the alumni. This package links the two with a population network model fitted to the ego data.

Choosing the estimator
----------------------
* ergm.ego (Krivitsky & Morris 2017) fits an exponential-family random graph model to
  survey-weighted ego statistics and scales it to a population. Its statistics are what we use
  (survey-weighted means over egos and their contacts; weights for non-response), but not its
  model: it assumes the egos are a probability sample of the population, and ours are alumni,
  senior leaders chosen by the programme, whose neighbourhoods are not typical; ERGMs with the
  triangle terms that clustering needs are prone to degeneracy and have no Python implementation
  that scales to millions of people; and the contagion model needs a generator it can run on.
* The network scale-up method (Killworth et al. 1998; Zheng, Salganik & Gelman 2006) turns
  "how many X do you know" counts into network sizes; McCormick, Salganik & Zheng (2010) show
  how to estimate personal network size and that recall errors grow with the count. The kit's
  counts questions are its summary questions: they give each respondent's degree, which the
  name generator (truncated at a few contacts) cannot.
* Chosen: fit the synthetic generator's parameters (colleague ring size and rewiring, mean
  partnerships, their within-region share, triadic closure, the spread of activity) by the
  package's ABC-SMC (Toni et al. 2009; Beaumont et al. 2009) to survey-weighted ego statistics,
  simulating the survey on every generated network exactly as it was run: the same respondents'
  positions (sector, region, role) and weights, each given the degree they reported, the same
  truncation of named contacts, recall noise on counts. Simulated and observed statistics are
  then comparable without a likelihood, and the posterior carries the survey's sampling error.
  Because alumni are not typical, the model is given each respondent's degree and learns the
  rest of the workforce from what they report about their contacts: the contacts' own counts
  (proxy reports), organisations, regions and roles (roles named more often than their share of
  the workforce partner more: the friendship paradox, Feld 1991, used as an estimator), and
  which contacts know each other (clustering).
* Then K networks are drawn from the posterior (parameters and role activity), at the
  population's full size given as counts by region, sector and role, each with the real alumni
  embedded: placed where they said they are, with their reported contacts, the roster's cohort
  and set ties and the reported ties between alumni. Non-respondents are imputed under two
  assumptions (:mod:`.nonresponse`; Smith & Moody 2013), and every later figure is computed over
  the K networks (:mod:`.pooling`).

What it cannot represent is said in the fit report beside the fit: partnerships that prefer the
same sector (the generator has no such preference), how respondents choose whom to name
(assumed at random among their contacts), organisation sizes (Zipf, not fitted), long-range
ties (fixed), and recall error (assumed, not estimated).

References
----------
Krivitsky, P. N., & Morris, M. (2017). Inference for social network models from egocentrically
sampled data, with application to understanding persistent racial disparities in HIV
prevalence in the US. Annals of Applied Statistics 11(1):427-455. doi:10.1214/16-AOAS1010

Killworth, P. D., McCarty, C., Bernard, H. R., Shelley, G. A., & Johnsen, E. C. (1998).
Estimation of seroprevalence, rape, and homelessness in the United States using a social
network approach. Evaluation Review 22(2):289-308. doi:10.1177/0193841X9802200205

Zheng, T., Salganik, M. J., & Gelman, A. (2006). How many people do you know in prison? Using
overdispersion in count data to estimate social structure in networks. Journal of the American
Statistical Association 101(474):409-423. doi:10.1198/016214505000001168

McCormick, T. H., Salganik, M. J., & Zheng, T. (2010). How many people do you know?: Efficiently
estimating personal network size. Journal of the American Statistical Association
105(489):59-70. doi:10.1198/jasa.2009.ap08518

Smith, J. A., & Moody, J. (2013). Structural effects of network sampling coverage I: Nodes
missing at random. Social Networks 35(4):652-668. doi:10.1016/j.socnet.2013.09.003

Feld, S. L. (1991). Why your friends have more friends than you do. American Journal of
Sociology 96(6):1464-1477. doi:10.1086/229693

Toni, T., Welch, D., Strelkowa, N., Ipsen, A., & Stumpf, M. P. H. (2009). Approximate Bayesian
computation scheme for parameter inference and model selection in dynamical systems. Journal
of the Royal Society Interface 6(31):187-202. doi:10.1098/rsif.2008.0172

Beaumont, M. A., Cornuet, J.-M., Marin, J.-M., & Robert, C. P. (2009). Adaptive approximate
Bayesian computation. Biometrika 96(4):983-990. doi:10.1093/biomet/asp052
"""

from alumni_net.experiments.workforce.draw import DrawnNetwork, draw_networks
from alumni_net.experiments.workforce.fit import FitSettings, WorkforceFit, fit_workforce
from alumni_net.experiments.workforce.model import PARAMETERS, WorkforceParams
from alumni_net.experiments.workforce.nonresponse import ASSUMPTIONS, DEFAULT_ASSUMPTION
from alumni_net.experiments.workforce.observe import observe_survey, roster_of
from alumni_net.experiments.workforce.statistics import DESCRIPTIONS, FITTED, STATISTICS
from alumni_net.experiments.workforce.weights import rake_weights

__all__ = [
    "ASSUMPTIONS",
    "DEFAULT_ASSUMPTION",
    "DESCRIPTIONS",
    "FITTED",
    "PARAMETERS",
    "STATISTICS",
    "DrawnNetwork",
    "FitSettings",
    "WorkforceFit",
    "WorkforceParams",
    "draw_networks",
    "fit_workforce",
    "observe_survey",
    "rake_weights",
    "roster_of",
]
