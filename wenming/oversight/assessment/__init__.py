"""Department assessment (部门考核, R8): the per-department measures, the yearly ranking, its
rule and accountability records. See `docs/oversight.md`."""
