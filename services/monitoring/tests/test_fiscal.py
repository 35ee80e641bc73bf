"""Thai fiscal time: FY N (B.E.) is 1 Oct (N-544) to 30 Sep (N-543); Q1 is Oct-Dec."""

from datetime import date

import pytest

from dgplan_contracts.fiscal import fiscal_year_of, fiscal_year_range, fiscal_year_range_json
from monitoring.domain.fiscal import (
    FiscalQuarter,
    clipped_to_fiscal_year,
    elapsed_fraction,
    fiscal_year_elapsed,
    last_due_quarter,
    quarter_of,
)


def test_fiscal_year_2565_is_october_2021_to_september_2022():
    assert fiscal_year_range(2565) == (date(2021, 10, 1), date(2022, 9, 30))
    assert fiscal_year_range_json(2565) == {"start": "2021-10-01", "end": "2022-09-30"}


def test_a_day_outside_the_fiscal_year_is_clipped_to_it():
    assert clipped_to_fiscal_year(2565, date(2021, 9, 30)) == date(2021, 10, 1)
    assert clipped_to_fiscal_year(2565, date(2022, 5, 1)) == date(2022, 5, 1)
    assert clipped_to_fiscal_year(2565, date(2023, 1, 1)) == date(2022, 9, 30)


@pytest.mark.parametrize(
    ("day", "fy", "quarter"),
    [
        (date(2021, 9, 30), 2564, 4),
        (date(2021, 10, 1), 2565, 1),
        (date(2021, 12, 31), 2565, 1),
        (date(2022, 1, 1), 2565, 2),
        (date(2022, 3, 31), 2565, 2),
        (date(2022, 4, 1), 2565, 3),
        (date(2022, 7, 1), 2565, 4),
        (date(2022, 9, 30), 2565, 4),
    ],
)
def test_quarter_boundaries(day, fy, quarter):
    assert fiscal_year_of(day) == fy
    assert quarter_of(day) == FiscalQuarter(fy, quarter)


def test_quarter_dates_and_neighbours():
    assert (FiscalQuarter(2565, 1).start, FiscalQuarter(2565, 1).end) == (date(2021, 10, 1), date(2021, 12, 31))
    assert (FiscalQuarter(2565, 2).start, FiscalQuarter(2565, 2).end) == (date(2022, 1, 1), date(2022, 3, 31))
    assert (FiscalQuarter(2565, 3).start, FiscalQuarter(2565, 3).end) == (date(2022, 4, 1), date(2022, 6, 30))
    assert (FiscalQuarter(2565, 4).start, FiscalQuarter(2565, 4).end) == (date(2022, 7, 1), date(2022, 9, 30))
    assert FiscalQuarter(2565, 4).next() == FiscalQuarter(2566, 1)
    assert FiscalQuarter(2565, 1).previous() == FiscalQuarter(2564, 4)
    with pytest.raises(ValueError):
        FiscalQuarter(2565, 5)


def test_last_due_quarter_waits_for_the_grace_period():
    # Q1 FY2565 ends 31 Dec 2021; with 30 days' grace its report is due from 31 Jan 2022.
    assert last_due_quarter(date(2022, 1, 30), 30) == FiscalQuarter(2564, 4)
    assert last_due_quarter(date(2022, 1, 31), 30) == FiscalQuarter(2565, 1)
    assert last_due_quarter(date(2022, 1, 1), 0) == FiscalQuarter(2565, 1)


def test_elapsed_share_of_a_fiscal_year():
    assert fiscal_year_elapsed(2565, date(2021, 9, 1)) == 0.0
    assert fiscal_year_elapsed(2565, date(2022, 9, 30)) == 1.0
    assert fiscal_year_elapsed(2565, date(2022, 3, 31)) == pytest.approx(182 / 365)
    assert elapsed_fraction(date(2022, 1, 1), date(2022, 1, 10), date(2022, 1, 5)) == 0.5
