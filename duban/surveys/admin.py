"""Admin: surveys with their questions, choices shown with their question. Invitations, responses
and answers are a record: shown, never edited here (and an invitation shows no token, only its hash)."""
from django.contrib import admin

from duban.surveys.models import Answer, Choice, Invitation, Question, Response, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ("order", "text", "kind", "required")


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ("order", "text")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "audience", "anonymous", "status", "opens_at", "closes_at", "created_by")
    list_filter = ("status", "anonymous")
    search_fields = ("title",)
    filter_horizontal = ("units",)
    raw_id_fields = ("created_by",)
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "survey", "order", "kind", "required")
    list_filter = ("kind",)
    search_fields = ("text", "survey__title")
    list_select_related = ("survey",)
    inlines = [ChoiceInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnly):
    list_display = ("pk", "survey", "created_at", "used_on", "name", "organisation")
    list_filter = ("survey",)
    list_select_related = ("survey",)
    exclude = ("token_hash",)


@admin.register(Response)
class ResponseAdmin(ReadOnly):
    list_display = ("pk", "survey", "submitted_on")
    list_filter = ("survey",)
    list_select_related = ("survey",)


@admin.register(Answer)
class AnswerAdmin(ReadOnly):
    list_display = ("pk", "response", "question", "choice", "number", "unit")
    list_filter = ("question__survey",)
    raw_id_fields = ("response", "question", "choice", "unit")
    list_select_related = ("question", "choice", "unit")
