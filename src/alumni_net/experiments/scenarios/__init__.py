"""What-if scenarios for programme leaders: a scenario file, its paired runs, and their tables.

A scenario file (TOML, see ``examples/scenarios.toml``) names the people (a dataset folder or the
synthetic programme), a horizon, the model's parameters, a baseline programme for the coming years
and named scenarios that each change only the levers they name: cohorts per year and their size,
who is recruited (strategy, candidate pool, quotas), regional or national cohorts, top-up
sessions, simple or complex contagion. Every scenario runs with the same per-replicate seeds, so
its difference from the baseline is computed replicate by replicate.

>>> from alumni_net.experiments.scenarios import load_scenario_file, prepare, run_scenarios
"""

from alumni_net.experiments.scenarios.apply import (
    OTHER_SCENARIO_KIND,
    Plan,
    Timeline,
    still_training,
    trained_alumni,
)
from alumni_net.experiments.scenarios.parse import load_scenario_file, parse_scenario_file
from alumni_net.experiments.scenarios.run import (
    Prepared,
    ScenarioRun,
    load_people,
    prepare,
    run_scenarios,
)
from alumni_net.experiments.scenarios.spec import (
    Cohorts,
    QuotaSpec,
    Recruitment,
    Scenario,
    ScenarioFile,
    TopUpSpec,
)
from alumni_net.experiments.scenarios.tables import (
    ADDING_NOTHING,
    HEADLINE,
    IN_TRAINING,
    paired_table,
    scenario_tables,
    write_tables,
    year_table,
)

__all__ = [
    "ADDING_NOTHING",
    "HEADLINE",
    "IN_TRAINING",
    "OTHER_SCENARIO_KIND",
    "Cohorts",
    "Plan",
    "Prepared",
    "QuotaSpec",
    "Recruitment",
    "Scenario",
    "ScenarioFile",
    "ScenarioRun",
    "Timeline",
    "TopUpSpec",
    "load_people",
    "load_scenario_file",
    "paired_table",
    "parse_scenario_file",
    "prepare",
    "run_scenarios",
    "scenario_tables",
    "still_training",
    "trained_alumni",
    "write_tables",
    "year_table",
]
