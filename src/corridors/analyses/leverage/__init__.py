"""Leverage and value at risk: how much of an exporter's trade each transit country holds.

For every exporter (the origin countries of the commodity's demand rows, latest year) and
every country its flow crosses:

- **crude, gas, uranium** (capacitated): the exporter's fields dispatch their demand at
  least cost (:func:`corridors.analyses.flows.solve_flow`, ``mincost`` with the demand per
  destination). ``crossing_share`` is the share of that flow entering the country and not
  ending there; ``lost`` is what can no longer be delivered at all with the country's
  territory closed (the demand-bounded maximum flow, open minus closed); a country the
  base flow does not touch scores zero without a solve (the base flow stays feasible and
  optimal when it is closed);
- **container** (shortest path): the exporter's OD pairs are routed alone
  (:func:`corridors.analyses.criticality.shortest_path_criticality` over countries);
  ``crossing_share`` is the volume whose route crosses the country.

``extra_cost_per_unit`` is the extra USD per unit of the volume that reroutes (crossed the
country and is still delivered with it closed): the cost of the alternative minus the
cost of the current route, over the rerouted volume only
(:func:`corridors.analyses.criticality.warm.reroute`; the shortest-path engine's
``extra_cost_usd`` for containers); None when nothing reroutes or a link whose flow
changes has no USD rate (``extra_km_per_unit`` then still gives the detour).
``value_at_risk_usd`` is ``lost`` times the sourced price for the demand's year
(:mod:`corridors.model.prices`). With a scenario each row also carries ``after``.
Countries are closed warm: the flow LP is built once and each country's columns get an
upper bound of 0 (:mod:`corridors.analyses.criticality.warm`).
"""

from corridors.analyses.leverage.compute import leverage

__all__ = ["leverage"]
