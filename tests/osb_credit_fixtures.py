"""Shared helpers of the osb_credit top-level tests."""

import contextlib

from conftest import committed_env


@contextlib.contextmanager
def osb_credit_enforced():
    """Credit control on for the main company while the block runs, then back
    as it was (the other addons' scenarios use plain customers)."""
    with committed_env() as env:
        policy = env["osb.credit.policy"]._get_policy(env.company)
        previous = policy.enforce
        policy.enforce = True
    try:
        yield
    finally:
        with committed_env() as env:
            env["osb.credit.policy"]._get_policy(env.company).enforce = previous
