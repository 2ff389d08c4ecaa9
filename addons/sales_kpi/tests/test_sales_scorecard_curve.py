# Copyright 2026 Sales Management Contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo.tests import tagged
from odoo.tests.common import BaseCase

from ..tools import achievement_percent, curve_errors, curve_score, gate_passed


@tagged("post_install", "-at_install")
class TestSalesScorecardCurve(BaseCase):
    """The curve, hand-computed: threshold 80, target 100, stretch 120, floor 0,
    cap 120 (higher is better); complaints: threshold 5, target 2, stretch 0,
    floor 0, cap 110 (lower is better)."""

    def test_points_and_between(self):
        curve = (80, 100, 120, 0, 120)
        self.assertEqual(curve_score(80, *curve), 0.0)  # at the threshold: the floor
        self.assertEqual(curve_score(50, *curve), 0.0)  # below it: the floor
        self.assertEqual(curve_score(90, *curve), 50.0)  # 0 + 100 x 10 / 20
        self.assertEqual(curve_score(100, *curve), 100.0)
        self.assertEqual(curve_score(110, *curve), 110.0)  # 100 + 20 x 10 / 20
        self.assertEqual(curve_score(120, *curve), 120.0)
        self.assertEqual(curve_score(150, *curve), 120.0)  # capped

    def test_floor(self):
        self.assertEqual(curve_score(60, 80, 100, 120, 40, 120), 40.0)
        self.assertEqual(curve_score(90, 80, 100, 120, 40, 120), 70.0)  # 40 + 60 x 10 / 20

    def test_no_stretch_no_bonus(self):
        self.assertEqual(curve_score(130, 80, 100, 100, 0, 150), 100.0)

    def test_lower_is_better_graded(self):
        curve = (5, 2, 0, 0, 110)
        self.assertEqual(curve_score(6, *curve, lower=True), 0.0)
        self.assertEqual(curve_score(5, *curve, lower=True), 0.0)
        self.assertAlmostEqual(curve_score(4, *curve, lower=True), 100 / 3)  # 100 x 1 / 3
        self.assertAlmostEqual(curve_score(3, *curve, lower=True), 200 / 3)
        self.assertEqual(curve_score(2, *curve, lower=True), 100.0)
        self.assertEqual(curve_score(1, *curve, lower=True), 105.0)  # 100 + 10 x 1 / 2
        self.assertEqual(curve_score(0, *curve, lower=True), 110.0)

    def test_gate(self):
        self.assertTrue(gate_passed(80, 80))
        self.assertFalse(gate_passed(79.99, 80))
        self.assertTrue(gate_passed(2, 3, lower=True))
        self.assertFalse(gate_passed(4, 3, lower=True))

    def test_achievement(self):
        self.assertEqual(achievement_percent(90, 100), 90.0)
        self.assertEqual(achievement_percent(4, 2, lower=True), 50.0)
        self.assertEqual(achievement_percent(0, 2, lower=True), 100.0)

    def test_errors(self):
        self.assertEqual(curve_errors(80, 100, 120, 0, 120), [])
        self.assertEqual(curve_errors(5, 2, 0, 0, 110, lower=True), [])
        self.assertEqual(curve_errors(80, 100, 90, 0, 120), ["stretch"])
        self.assertEqual(curve_errors(100, 80, 120, 0, 120), ["order"])
        self.assertEqual(curve_errors(2, 5, 4, 0, 110, lower=True), ["order"])
        self.assertEqual(curve_errors(-10, 0, 10, 0, 120), ["negative"])
        self.assertEqual(curve_errors(-10, 0, 10, 0, 120, allow_negative=True), [])
        self.assertEqual(curve_errors(80, 100, 120, 0, 90), ["scores"])
