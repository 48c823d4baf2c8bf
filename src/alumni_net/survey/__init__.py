"""The alumni survey kit (stage 1, beside io): a questionnaire and response workbook, and the
import of responses plus the roster into a survey dataset (egos, alters, alter ties, programme
ties), pseudonymised on the way in.

``template`` writes the kit (:func:`write_template`); ``importer`` reads it back
(:func:`import_survey`); ``egodata`` is the dataset it makes (:class:`EgoData`); ``population``
matches the counts by region, sector and role that the workforce network is scaled to (read
by :func:`alumni_net.synth.population.population_counts`) with the survey's categories.
"""

from alumni_net.survey.egodata import EgoData, read_ego_data, write_ego_data
from alumni_net.survey.importer import SurveyImport, import_survey, response_rates
from alumni_net.survey.population import (
    categories_from_population,
    check_population,
)
from alumni_net.survey.questions import (
    DEFAULT_CONTACTS,
    DEFAULT_PRACTICE,
    Categories,
    Question,
    contact_column,
    pair_column,
    questionnaire,
)
from alumni_net.survey.template import TEMPLATE_FILES, write_template

__all__ = [
    "DEFAULT_CONTACTS",
    "DEFAULT_PRACTICE",
    "TEMPLATE_FILES",
    "Categories",
    "EgoData",
    "Question",
    "SurveyImport",
    "categories_from_population",
    "check_population",
    "contact_column",
    "import_survey",
    "pair_column",
    "questionnaire",
    "read_ego_data",
    "response_rates",
    "write_ego_data",
    "write_template",
]
