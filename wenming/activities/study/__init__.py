"""Study records (R19): the writes (`services`), the readings every surface shows (`readings`)
and the platform sheet's reader (`sheet`).

Writes (keyword-only, `user` the actor, refusals `ValidationError`s in Chinese keyed by field,
everything checked before anything is kept, one transaction; access is checked by the callers
through `study_access`):

- `study_target_set`: a unit's targets for a year — study sessions and platform points per
  person (the platform named, 学习强国 by default).
- `points_import`: one month of the platform's export. Text, blanks or negatives in the
  points column, or a name twice, refuse the whole sheet with every bad row named
  (`PointsRefused`); names that match nobody of the unit are not fatal: the matched rows are
  imported and the names kept on `PointsImport.unmatched` for the office to correct. A month
  imported again is replaced whole: its points (derived rows, not user-made records) are
  swapped in one transaction, the earlier `PointsImport` stays as history.
- `exam_create`, `exam_scores_set`, `exam_remove`: 考学 with each person's score, entered as
  rows (person + score) or pasted lines "姓名 分数"; a removed exam is kept (`removed_at`).

Readings, each a fixed number of queries whatever the number of people or records:
`study_rows` (per person and per department, against the targets), `person_study` (one
person's year) and `unit_study_figures` (per-person averages for the standards' measures).
What counts is defined once, in `readings`: a study session is a live activity of `STUDY_KINDS` of the
unit starting in the year (`session_attendances`); a year's points are the sum of its
months' `StudyPoints`; an exam counts while not removed, passed at its pass mark.
"""

from wenming.activities.study.readings import (
    OWN_PLACE,
    DepartmentRow,
    PersonRow,
    PersonStudy,
    StudyFigures,
    StudyReading,
    average,
    current_imports,
    exam_results,
    passed_q,
    person_study,
    rate,
    session_attendances,
    study_rows,
    unit_study_figures,
    year_points,
    year_scores,
)
from wenming.activities.study.services import (
    PLATFORM,
    People,
    PointsResult,
    ScoreInput,
    exam_create,
    exam_remove,
    exam_scores_set,
    month_start,
    parse_month,
    person_name,
    points_import,
    split_line,
    study_target_set,
    target_of,
    unmatched_sentence,
)
from wenming.activities.study.sheet import PointsRefused, Problem

__all__ = [
    "OWN_PLACE",
    "PLATFORM",
    "DepartmentRow",
    "People",
    "PersonRow",
    "PersonStudy",
    "PointsRefused",
    "PointsResult",
    "Problem",
    "ScoreInput",
    "StudyFigures",
    "StudyReading",
    "average",
    "current_imports",
    "exam_results",
    "exam_create",
    "exam_remove",
    "exam_scores_set",
    "month_start",
    "parse_month",
    "passed_q",
    "person_name",
    "person_study",
    "rate",
    "points_import",
    "session_attendances",
    "split_line",
    "study_rows",
    "study_target_set",
    "target_of",
    "unit_study_figures",
    "unmatched_sentence",
    "year_points",
    "year_scores",
]
