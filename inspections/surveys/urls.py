from django.urls import path

from inspections.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/status/", views.campaign_move, name="campaign_move"),
    path("<int:pk>/figures/", views.campaign_rebuild, name="campaign_rebuild"),
    path("<int:pk>/sheets/", views.campaign_sheets, name="campaign_sheets"),
    path("<int:pk>/export/", views.campaign_export, name="campaign_export"),
    path("questionnaires/", views.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/load-defaults/", views.questionnaire_load_defaults, name="questionnaire_load_defaults"),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire_detail"),
    path("questionnaires/<int:pk>/save/", views.questionnaire_save, name="questionnaire_save"),
    path("questionnaires/<int:pk>/copy/", views.questionnaire_copy, name="questionnaire_copy"),
    path("questionnaires/<int:pk>/questions/", views.question_add, name="question_add"),
    path("questions/<int:pk>/", views.question_edit, name="question_edit"),
]
