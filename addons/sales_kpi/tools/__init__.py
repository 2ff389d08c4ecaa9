from .scorecard_curve import achievement_percent, curve_errors, curve_score, gate_passed
