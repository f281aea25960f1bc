from django.urls import path

from inspections.surveys import public

app_name = "survey"

urlpatterns = [
    path("", public.survey_enter, name="enter"),
    path("done/", public.survey_done, name="done"),
    path("<str:code>/", public.survey_answer, name="answer"),
]
