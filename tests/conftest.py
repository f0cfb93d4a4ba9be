"""Suite-wide rule: a skipped test is a failed test.

Every test here needs only what `.ci/run` installs (Debian's gobgpd, frr, bird2, exabgp,
openssh-server, tshark, iproute2; the pinned Python requirements) and root. A test that finds
one of them missing must fail loudly, not pass quietly as "skipped", so a skip — from a
``skipif``, an ``importorskip`` or ``pytest.skip`` anywhere — is reported as a failure with
its reason. (An ``xfail`` is left as it is.)
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"a skipped test counts as failed here (see tests/conftest.py): {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    if report.skipped:  # a module-level importorskip or skip(allow_module_level=True)
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"a skipped module counts as failed here (see tests/conftest.py): {reason}"
        )
