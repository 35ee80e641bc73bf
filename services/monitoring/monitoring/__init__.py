"""dgplan monitoring: Indicators, quarterly progress reports, evaluations and scorecards; read models built from events."""
