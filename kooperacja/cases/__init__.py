"""Case monitoring by the task teams (GGK/ZZK): the case, its team, delivery and statistics."""
