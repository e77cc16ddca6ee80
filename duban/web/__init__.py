"""The web pages: the citizen's report and follow-up, the handler's workbench, the dispatcher's
and the supervisor's consoles, the leader's page. Server-rendered, with htmx where it helps."""
