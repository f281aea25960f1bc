from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_index, name="list"),
    path("mine/", views.mine, name="mine"),
    path("figures/", views.figures, name="figures"),
    path("lodge/", views.lodge, name="lodge"),
    path("enter/", views.enter, name="enter"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/record/", views.record, name="record"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/conclude/", views.conclude, name="conclude"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/appeal/", views.appeal, name="appeal"),
    path("<int:pk>/link/", views.link, name="link"),
    path("<int:pk>/files/", views.add_files, name="add_files"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/complainant/", views.reveal, name="reveal"),
]
