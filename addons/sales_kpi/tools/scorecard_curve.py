# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The scoring curve of a scorecard's KPI line: pure functions, no database.

A curve has three points on the KPI's scale and two scores:

- ``threshold``: where scoring starts; at and beyond it (the wrong side) the line
  scores ``floor``;
- ``target``: the line scores 100;
- ``stretch``: the line scores ``cap``, and no more beyond it;

linear between the points. A lower-is-better KPI (complaints, late count) has its
points in decreasing order (threshold >= target >= stretch) and is graded the
same way, not all-or-nothing. A ``stretch`` equal to the ``target`` gives no bonus
above 100.
"""


def curve_score(actual, threshold, target, stretch, floor=0.0, cap=100.0, lower=False):
    """The score of ``actual`` on the curve (see the module's docstring)."""
    if lower:
        # Mirror the scale: lower is better becomes higher is better.
        actual, threshold, target, stretch = -actual, -threshold, -target, -stretch
    if actual >= target:
        if stretch <= target:
            return 100.0
        if actual >= stretch:
            return float(cap)
        return 100.0 + (cap - 100.0) * (actual - target) / (stretch - target)
    if actual <= threshold:
        return float(floor)
    # threshold < actual < target
    return floor + (100.0 - floor) * (actual - threshold) / (target - threshold)


def gate_passed(gate_value, gate_min, lower=False):
    """Whether a gate holds: the gate KPI's value reaches ``gate_min`` (at most
    ``gate_min`` for a lower-is-better KPI)."""
    return gate_value <= gate_min if lower else gate_value >= gate_min


def achievement_percent(actual, target, lower=False):
    """Actual against target in percent (for a lower-is-better KPI: target over
    actual; reaching 0 against a target of 0 is 100 %)."""
    if lower:
        if actual <= 0:
            return 100.0 if target >= 0 else 0.0
        return 100.0 * target / actual
    if not target:
        return 100.0 if actual >= 0 else 0.0
    return 100.0 * actual / target


def curve_errors(threshold, target, stretch, floor, cap, lower=False, allow_negative=False):
    """Keys of what is wrong with a curve (empty when it is right):
    ``negative`` (a point below zero where the KPI cannot be negative),
    ``order`` (threshold, target and stretch not in order for the direction),
    ``stretch`` (stretch on the wrong side of the target), ``scores`` (not
    0 <= floor <= 100 <= cap)."""
    errors = []
    if not allow_negative and min(threshold, target, stretch) < 0:
        errors.append("negative")
    sign = -1 if lower else 1
    if sign * (target - threshold) < 0 or (threshold == target):
        errors.append("order")
    if sign * (stretch - target) < 0:
        errors.append("stretch")
    if not 0 <= floor <= 100 <= cap:
        errors.append("scores")
    return errors
