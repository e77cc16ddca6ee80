"""Key projects, milestones and fortnightly reviews (重点项目, 双周调度)."""
