"""Large fact tables for timing `zfacts compare` and `zfacts diff`.

A table of N rows is the seeds' own fact table tiled: copy k of every
article gets its own source name and bytes hash, and its subjects are
suffixed with k // GROUP_COPIES, so a (subject, metric, period) group holds
the same few articles' facts GROUP_COPIES times over, as a corpus about many
companies would. Every CONFLICT_EVERY-th copy states its amounts 30% higher,
so some groups conflict. The "new" table of a diff is the old one with a
share of rows changed, removed and added.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

GROUP_COPIES = 8
CONFLICT_EVERY = 7


def tile(base: pd.DataFrame, rows: int) -> pd.DataFrame:
    copies = -(-rows // len(base))
    k = np.repeat(np.arange(copies), len(base))[:rows]
    out = base.iloc[np.tile(np.arange(len(base)), copies)[:rows]].reset_index(drop=True)
    ks = pd.Series(k, index=out.index).astype(str)
    out["source"] = "c" + ks + "/" + out["source"]
    out["source_sha256"] = out["source_sha256"].str.slice(0, 48) + ks.str.zfill(16)
    out["subject"] = out["subject"].where(out["subject"].isna(), out["subject"] + (k // GROUP_COPIES).astype(str))
    out["fact_id"] = out["fact_id"] + ks
    bump = pd.Series(k % CONFLICT_EVERY == 3, index=out.index) & (out["kind"] == "money")
    for col in ("value", "low", "high", "value_cny"):
        out.loc[bump, col] = out.loc[bump, col] * 1.3
    return out


def changed_copy(old: pd.DataFrame, share: float = 0.01, seed: int = 1) -> pd.DataFrame:
    """`old` with `share` of its rows changed in value, removed, and duplicated as added."""
    rng = np.random.default_rng(seed)
    n = len(old)
    pick = rng.permutation(n)
    step = int(n * share)
    changed, removed, added = pick[:step], pick[step:2 * step], pick[2 * step:3 * step]
    new = old.copy()
    new.loc[new.index[changed], "value"] = new["value"].iloc[changed] + 1
    extra = old.iloc[added].copy()
    extra["start"] = extra["start"] + 100_000  # a span no fact had
    extra["end"] = extra["end"] + 100_000
    new = new.drop(new.index[removed])
    return pd.concat([new, extra], ignore_index=True)


def main() -> None:
    """python tables.py FACTS ROWS OLD NEW: write the tiled table and its changed copy.

    A script of its own so the bench builds tables in a child process: a
    child's peak memory (ru_maxrss) starts at its parent's, so a parent that
    held a 10 M-row table would inflate every figure after it."""
    import sys

    facts, rows, old, new = sys.argv[1:]
    table = tile(pd.read_parquet(facts), int(rows))
    table.to_parquet(old)
    changed_copy(table).to_parquet(new)


if __name__ == "__main__":
    main()
