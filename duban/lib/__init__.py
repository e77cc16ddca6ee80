"""Pure helpers without models: each module stands on its own and has its own tests."""
