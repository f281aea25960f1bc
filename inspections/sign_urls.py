from django.urls import path

from inspections.views import signs

app_name = "sign"

urlpatterns = [
    path("", signs.sign_search, name="search"),
    path("photo/<int:pk>/", signs.sign_photo, name="photo"),
    path("<int:pk>/", signs.sign_page, name="page"),
    path("<int:pk>/pdf/", signs.sign_pdf, name="pdf"),
]
