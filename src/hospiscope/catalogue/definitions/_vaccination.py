"""Staff flu vaccination coverage: staff vaccinated / staff total, per establishment and winter
season, with a Wilson interval and five levels (grids/vaccination.yaml). The computation of
vaccin_grippe.py, whose META holds all the metadata (one indicator: no family defaults).

Per establishment and season (rows of the table `vaccination_grippe`):
- NC (non concerné) when the file flags it — counts are then ignored;
- DI (données insuffisantes) when a count is missing, the staff total is 0, or more staff are
  declared vaccinated than employed (an incoherent declaration is not published);
- otherwise numerator = staff vaccinated, denominator = staff total.
NC and DI rows carry NULL numerator and denominator and the markers `stat_nc` / `stat_di`
(summed by the levels into counts of NC and DI establishments per group).

Pooling: a region, a type, the nation… is Σ vaccinated / Σ staff (the coverage of all their
staff, each establishment weighted by its staff).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pandas as pd

from hospiscope.catalogue.model import Indicator, IndicatorMeta
from hospiscope.sources.vaccination import TABLE


def compute(tables: dict[str, ir.Table]) -> ir.Table:
    v = tables[TABLE]
    nc = v.not_concerned.fill_null(False)
    usable = (
        ~nc
        & v.vaccinated.notnull()
        & v.staff.notnull()
        & (v.staff.fill_null(0) > 0)
        & (v.vaccinated.fill_null(0) <= v.staff.fill_null(0))
    )
    return v.select(
        entity_id=v.finess_et,
        period=v.season,
        numerator=ibis.ifelse(usable, v.vaccinated.cast("int64"), ibis.null("int64")),
        denominator=ibis.ifelse(usable, v.staff.cast("int64"), ibis.null("int64")),
        stat_nc=nc.cast("int64"),
        stat_di=(~nc & ~usable).cast("int64"),
    )


def reference(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    v = frames[TABLE]
    nc = v["not_concerned"].fillna(False).astype(bool)
    vaccinated = pd.to_numeric(v["vaccinated"]).astype(float)
    staff = pd.to_numeric(v["staff"]).astype(float)
    usable = (
        ~nc & vaccinated.notna() & staff.notna() & (staff.fillna(0) > 0) & (vaccinated <= staff)
    )
    return pd.DataFrame(
        {
            "entity_id": v["finess_et"].astype(str),
            "period": v["season"].astype(str),
            "numerator": vaccinated.where(usable),
            "denominator": staff.where(usable),
            "stat_nc": nc.astype("int64"),
            "stat_di": (~nc & ~usable).astype("int64"),
        }
    ).reset_index(drop=True)


def coverage_indicator(meta: IndicatorMeta) -> Indicator:
    return Indicator(meta, compute, reference)
